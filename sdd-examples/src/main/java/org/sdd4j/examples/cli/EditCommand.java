package org.sdd4j.examples.cli;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageFiles;
import org.sdd4j.core.edit.Framing;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.Messages;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.spi.Owned;
import org.sdd4j.examples.EmbeddedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Applies an edit to image files. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"Apply a trained edit to images (any size) in one forward pass; results keep the input size.",
            "Each result is written as <out>/<input name>.png, atomically. Nothing is overwritten without --overwrite,"
                + " an input is never overwritten, and two inputs that would get the same output name are refused"
                + " before anything is written."})
final class EditCommand implements Callable<Integer> {

    @Option(names = "--editor", required = true, description = "The editor bundle folder (or SavedModel export with --backend tensorflow).")
    Path editor;

    @Option(names = "--edit", required = true, description = "The edit to apply, e.g. smiling.")
    String edit;

    @Option(names = "--out", required = true, description = "Output folder (PNG files named like the inputs).")
    Path out;

    @Option(names = "--backend", defaultValue = "pytorch", description = "Backend: pytorch for an editor bundle,"
            + " tensorflow for a folder written by `sdd export --format savedmodel` (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--overwrite", description = "Replace existing output files (a link there is replaced, never"
            + " followed; inputs are never overwritten).")
    boolean overwrite;

    @Option(names = "--expect-manifest-sha256", paramLabel = "HEX", description = "Refuse the editor unless its"
            + " manifest.json has this SHA-256 (printed by `sdd distill`; for bundles shipped between machines).")
    String expectedManifest;

    @Option(names = "--upsampler", description = "Carry the edit to full size with this guided upsampler (put-back"
            + " LEARNED), e.g. one fine-tuned to the edit with `sdd train-upsampler --editor`; the bundle is not"
            + " changed (pytorch backend; 'embedded-smiling' for the one shipped for FaceWorld's smile).")
    String upsampler;

    @Option(names = "--no-target-colours", description = "Put the edit back without the colours the bundle records"
            + " for its target (a region the edit recolours whole keeps the manipulator's colour instead of the nearest"
            + " colour the training images that show the target have; put-back EDGE_AWARE; pytorch backend).")
    boolean noTargetColours;

    @Option(names = "--fit", description = "For an image that is not square: 'crop' edits the"
            + " largest centred square, at the subject's own scale, and leaves the rest exactly as it was (for a"
            + " subject in the middle of a wide or tall picture); 'pad' edits the whole image, padded to a square, so"
            + " the subject looks smaller to the model than the faces it was trained on (for a subject that reaches"
            + " beyond the centred square; default: crop).")
    String fit;

    @Option(names = "--region", paramLabel = "X,Y,W,H", description = "Edit only the square round this box (pixels:"
            + " left, top, width, height; the square has the box's longer side, centred on it), at the scale the model"
            + " was trained on, and leave the rest of each image exactly as it was: for a subject anywhere in a"
            + " picture, or smaller than it (a face a detector found). Give the box the subject fills as in the"
            + " training pictures (for FaceWorld the head with its hair), or add --align. Where the square reaches"
            + " beyond the image, the editor sees the edge pixels repeated. Repeat it for several subjects in one"
            + " picture (a group photo): each square is edited from the picture as it was, in one call, and put back"
            + " in the order given. Not with --fit.")
    List<String> regions;

    @Option(names = "--align", description = "With --region: move the box (by up to 15%% of its side) and scale it"
            + " (0.8 to 1.2) to where the editor's training pictures have their subject, by the edges the bundle"
            + " records for the edit"
            + " (its framing template), and print the square used. For a box from a detector or drawn by hand: on"
            + " FaceWorld a box a tenth of its side off got a smile on 6%% of 200 faces, aligned on 98.5%%.")
    boolean align;

    @Parameters(arity = "1..*", description = "Input images (PNG, JPEG, BMP, GIF).")
    List<Path> inputs;

    /** Where each input goes, checked before anything is edited. */
    static Map<Path, Path> plan(List<Path> inputs, Path out, boolean overwrite) throws IOException {
        Map<Path, Path> targets = new LinkedHashMap<>();
        Map<Path, Path> byTarget = new LinkedHashMap<>();
        for (Path in : inputs) {
            String name = in.getFileName().toString().replaceAll("\\.[^.]*$", "") + ".png";
            Path target = out.resolve(name).toAbsolutePath().normalize();
            Path other = byTarget.putIfAbsent(target, in);
            if (other != null) {
                throw new IllegalArgumentException("inputs " + other + " and " + in + " would both be written to "
                        + target + "; edit them in separate runs (different --out) or rename one");
            }
            targets.put(in, target);
        }
        for (Map.Entry<Path, Path> e : targets.entrySet()) {
            Path target = e.getValue();
            for (Path in : inputs) {
                if (Files.exists(in) && Files.exists(target) && Files.isSameFile(in, target)
                        || in.toAbsolutePath().normalize().equals(target)) {
                    throw new IllegalArgumentException("the result for " + e.getKey() + " would overwrite the input "
                            + in + "; choose another --out");
                }
            }
            if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(target + " already exists; pass --overwrite to replace it, or"
                        + " choose another --out (nothing was written)");
            }
        }
        return targets;
    }

    /** The editor, with --upsampler attached to the edit and --no-target-colours applied if given. */
    private Editor open() {
        if (upsampler == null && !noTargetColours) {
            return Editor.load(editor, backend);
        }
        if (!"pytorch".equals(backend)) {
            throw new IllegalArgumentException((upsampler != null ? "--upsampler" : "--no-target-colours")
                    + " needs an editor bundle (--backend pytorch)");
        }
        return Owned.load(Backends.get(backend).newManager(), root -> {
            ManipulatorEditor me = ManipulatorEditor.load(editor, root);
            try {
                if (upsampler != null) {
                    me.useUpsampler(edit, EmbeddedModels.upsampler(upsampler));
                }
                if (noTargetColours) {
                    me.ignoreTargetColours(edit);
                }
            } catch (RuntimeException ex) {
                me.close();
                throw ex;
            }
            return me;
        }, Owned::editor);
    }

    /** The edit's framing template from the editor's manifest (either backend's), or a clear error. */
    private FramingTemplate framingTemplate() {
        JsonNode m = Json.read(editor.resolve("manifest.json"));
        JsonNode entry = m.path("edits").path(edit);
        FramingTemplate t = entry.isMissingNode() ? null
                : EditorBundle.framingTemplate(entry, m.path("resolution").asInt(-1));
        if (t == null) {
            throw new IllegalArgumentException("--align: " + editor + " records no framing template for \"" + edit
                    + "\" (it was distilled before templates were recorded); distil it again, or give --region"
                    + " without --align");
        }
        return t;
    }

    /** The squares edited for {@code img}: {@code squares}, or with a template those aligned from them, printed. */
    private static List<Framing.Square> aligned(FramingTemplate template, BufferedImage img,
            List<Framing.Square> squares, Path in) {
        if (template == null) {
            return squares;
        }
        List<Framing.Square> out = new ArrayList<>();
        for (Framing.Square square : squares) {
            Framing.Square a = template.align(img, square);
            System.out.println(in + ": --region aligned from " + square + " to " + a);
            out.add(a);
        }
        return out;
    }

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
        }
        if (regions != null && fit != null) {
            throw new IllegalArgumentException("--region and --fit both say what the editor sees; give one");
        }
        Framing.Fit framing = Framing.Fit.of(fit == null ? "crop" : fit);
        List<Framing.Square> squares = regions == null ? null
                : regions.stream().map(Framing.Square::parse).toList();
        if (align && squares == null) {
            throw new IllegalArgumentException("--align moves the box given with --region; give --region X,Y,W,H");
        }
        Map<Path, Path> targets = plan(inputs, out, overwrite);
        if (expectedManifest != null) {
            ModelFolder.requireManifestSha256(editor, expectedManifest);
        }
        Files.createDirectories(out);
        List<String> failed = new ArrayList<>();
        int framed = 0;
        try (Editor e = open()) {
            if (!e.edits().contains(edit)) {
                throw new IllegalArgumentException("edit \"" + edit + "\" is not in " + editor + "; it knows: "
                        + e.edits());
            }
            FramingTemplate template = align ? framingTemplate() : null;
            for (Map.Entry<Path, Path> t : targets.entrySet()) {
                Path in = t.getKey();
                try {
                    BufferedImage img = ImageFiles.read(in);
                    if (img.getWidth() != img.getHeight() && squares == null) {
                        framed++;
                    }
                    Image result = squares != null
                            ? ImageFactory.getInstance().fromImage(Framing.edit(e, img, edit,
                                    aligned(template, img, squares, in)))
                            : framing == Framing.Fit.PAD ? e.edit(ImageFactory.getInstance().fromImage(img), edit)
                            : ImageFactory.getInstance().fromImage(Framing.edit(e, img, edit, framing));
                    AtomicFiles.Writer w = os -> result.save(os, "png");
                    if (overwrite) {
                        AtomicFiles.write(t.getValue(), w);
                    } else {
                        AtomicFiles.writeNew(t.getValue(), w);
                    }
                    System.out.println(in + " -> " + t.getValue());
                } catch (IllegalArgumentException | UncheckedIOException ex) {
                    String why = ex instanceof UncheckedIOException u ? Messages.describe(u) : ex.getMessage();
                    System.err.println("error: " + why);
                    failed.add(in.toString());
                }
            }
        }
        if (framed > 0 && framing == Framing.Fit.PAD) {
            System.out.println("note: " + framed + " of " + inputs.size() + " images are not square; each was edited"
                    + " whole, padded to a square, so its subject looked smaller to the model than in a square picture."
                    + " For a subject in the middle, --fit crop (the default) edits the centred square at the subject's"
                    + " own scale.");
        } else if (framed > 0) {
            System.out.println("note: " + framed + " of " + inputs.size() + " images are not square; only the centred"
                    + " square of each was edited and the rest left as it was. For a subject that reaches beyond it,"
                    + " --fit pad edits the whole picture.");
        }
        if (!failed.isEmpty()) {
            System.err.println(failed.size() + " of " + inputs.size() + " images were not edited: " + failed);
            return 1;
        }
        return 0;
    }
}
