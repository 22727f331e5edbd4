package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.core.edit.EditPairs;
import org.sdd4j.core.edit.GuidedUpsampler;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.examples.EmbeddedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the guided upsampler that put-back LEARNED carries edits to full resolution with. */
@Command(name = "train-upsampler", mixinStandardHelpOptions = true,
        description = {"Train a guided upsampler on the data's images (FaceWorld by default): it carries an edit made at"
            + " --resolution to larger images with sharp detail (`sdd distill --put-back LEARNED --upsampler DIR`). It"
            + " learns from the images alone (no edits): each is shrunk to the model resolution and learned back from"
            + " that and the full-size image with a random rectangle hidden (as the editor hides the region an edit"
            + " changed). Reports the PSNR inside such rectangles on held-out images, learned against bilinear.",
            "With --editor, --edit and --reverse-editor it fine-tunes an upsampler (--from) to one distilled edit"
                + " instead: images that already show the edit (--target-captions) are taken back by the reverse edit"
                + " and edited again, and it learns to carry those edits to the full-size image they started from"
                + " (use it with `sdd edit --upsampler DIR`). Measured for edits of a small region (a smile); for a"
                + " recolour (blond hair) it did worse than put-back EDGE_AWARE (docs/RESULTS.md)."})
final class TrainUpsamplerCommand implements Callable<Integer> {

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", required = true, description = "Upsampler folder to write.")
    Path out;

    @Option(names = "--sizes", split = ",", description = "Image sizes it learns to carry edits to (default: 4 and 8"
            + " times --resolution).")
    List<Integer> sizes;

    @Option(names = "--steps", description = "Steps (default: 3000; 800 for a fine-tune to an edit).")
    Integer steps;

    @Option(names = "--batch", description = "Crops per step (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: 0.002; 0.001 for a fine-tune to an edit).")
    Float lr;

    @Option(names = "--blur", description = "Largest blur (Gaussian sigma, in pixels at --resolution) of the shrunk"
            + " training images, drawn per image from [0, blur], so that soft strokes come out sharp (default:"
            + " ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double blur;

    @Option(names = "--stain", description = "Largest colour change (per channel, in [-1, 1] units) of the soft stains"
            + " painted into the shrunk training images where they are hidden, to teach the upsampler to leave out the"
            + " soft stains an edit leaves where it removed something (on the demo's smile it did not remove the pale"
            + " patch; default: ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double stain;

    @Option(names = "--thicken", description = "Largest blend (in [0, 1], drawn per image) of each pixel where the"
            + " shrunk training images are hidden toward the neighbour that stands out most, so the strokes there come"
            + " out up to a pixel thicker, to teach the upsampler to draw an edit's thick strokes thinner (default:"
            + " ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double thicken;

    @Option(names = "--smoothing", description = "Colour spread (in [-1, 1] units, at most 0.5) of an edge-preserving"
            + " smoothing of what the upsampler draws, recorded with it: evens out grain and blotches, keeps strokes."
            + " For images of flat colour areas (FaceWorld's smile: 0.08); photographs' texture would flatten"
            + " (default: none; a fine-tune keeps --from's).")
    Double smoothing;

    @Option(names = "--editor", description = "Fine-tune to an edit of this editor bundle (with --edit and"
            + " --reverse-editor) instead of training a generic upsampler.")
    Path editor;

    @Option(names = "--edit", description = "The edit of --editor to fine-tune to, e.g. smiling.")
    String edit;

    @Option(names = "--reverse-editor", description = "An editor bundle with the edit that undoes --edit (e.g."
            + " \"frowning\" for \"smiling\": `sdd distill` with the prompts swapped).")
    Path reverseEditor;

    @Option(names = "--reverse-edit", description = "The reverse editor's edit (default: its only edit).")
    String reverseEdit;

    @Option(names = "--target-captions", description = "Regular expression (case-insensitive, found anywhere) for the"
            + " captions of the training images that already show --edit, e.g. 'smiling|happy'.")
    String targetCaptions;

    @Option(names = "--pairs", description = "Images that already show the edit to make pairs from (at most; the last"
            + " eighth is held out; default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int pairs;

    @Option(names = "--from", description = "The upsampler folder the fine-tune starts from: the one the edit was"
            + " distilled with; 'embedded' for FaceWorld's (default: ${DEFAULT-VALUE}).", defaultValue = "embedded")
    String from;

    @Option(names = "--grow", description = "Pixels (at --resolution) by which what either edit changed is widened"
            + " before it is hidden from the upsampler; less lets what the reverse edit removed come back (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "4")
    int grow;

    @Option(names = "--share", description = "Share of each batch taken from the pairs; the rest are generic examples"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "0.8")
    double share;

    @Option(names = "--bundle-out", description = "With a fine-tune: also write a copy of --editor in which --edit is"
            + " put back by the new upsampler (its other edits copied as they are): a bundle to ship or to `sdd export`."
            + " A new or empty folder; --editor is not changed.")
    Path bundleOut;

    @Option(names = "--seed", description = "Seed of the examples drawn (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    long seed;

    @Mixin
    ForceOption force;

    @Override
    public Integer call() {
        GuidedUpsampler.Options d = GuidedUpsampler.Options.defaults(dataOptions.resolution());
        List<Integer> s = sizes == null || sizes.isEmpty() ? d.sizes() : sizes;
        boolean tune = editor != null || edit != null || reverseEditor != null;
        EditPairs.Options t = EditPairs.Options.defaults();
        int n = steps != null ? steps : tune ? t.steps() : d.steps();
        float rate = lr != null ? lr : tune ? t.learningRate() : d.learningRate();
        GuidedUpsampler.Options o = new GuidedUpsampler.Options(n, batch, rate, d.resolution(), s, d.crop(), seed)
                .withBlur(blur).withStain(stain).withThicken(thicken);
        if (tune) {
            return fineTune(o, new EditPairs.Options(n, rate, share, grow, smoothing));
        }
        if (smoothing != null) {
            o = o.withSmoothing(smoothing);
        }
        int largest = Collections.max(s);
        DataOptions.Split split = dataOptions.trainAndHeldOut(largest);
        double[] psnr;
        try (NDManager m = Backends.bestForTraining().newManager(); Progress bar = new Progress("upsampler", n)) {
            psnr = GuidedUpsampler.train(split.train(), split.heldOut(), o, out, m, bar, force.force);
        }
        System.out.printf("upsampler written to %s; inside hidden regions of %s: learned %.1f dB, bilinear %.1f dB%n",
                out, split.heldOut().describe(), psnr[1], psnr[0]);
        return 0;
    }

    private int fineTune(GuidedUpsampler.Options o, EditPairs.Options t) {
        if (editor == null || edit == null || reverseEditor == null || targetCaptions == null) {
            throw new IllegalArgumentException("a fine-tune to an edit needs --editor, --edit, --reverse-editor and"
                    + " --target-captions");
        }
        if (blur > 0 || stain > 0 || thicken > 0) {
            throw new IllegalArgumentException("--blur, --stain and --thicken shape the generic training images; a"
                    + " fine-tune to an edit learns from the edit's own output and takes none of them");
        }
        requireResolution(editor, o.resolution());
        requireResolution(reverseEditor, o.resolution());
        Path start = EmbeddedModels.upsampler(from);
        EditPairs.checkFolders(start, out, o.resolution(), force.force);
        if (bundleOut != null) {
            if (ModelFolder.check(bundleOut, EditorBundle.FORMAT, EditorBundle.FORMAT_VERSION, "editor bundle",
                    false) != null) {
                throw new IllegalArgumentException("--bundle-out " + bundleOut + " is an editor bundle already;"
                        + " choose a new or empty folder (nothing was written)");
            }
        }
        DataOptions.Split split = dataOptions.trainAndHeldOut(Collections.max(o.sizes()));
        List<Integer> indices = EditPairs.showingTheEdit(split.train(), targetCaptions, pairs);
        EditPairs.Result r;
        try (NDManager m = Backends.bestForTraining().newManager()) {
            List<EditPairs.Pair> made;
            Map<String, String> provenance = new LinkedHashMap<>();
            try (Editor fwd = Editor.load(editor, "pytorch"); Editor rev = Editor.load(reverseEditor, "pytorch")) {
                String back = reverseEdit != null ? reverseEdit : onlyEdit(rev);
                provenance.put("editorManifestSha256", AtomicFiles.sha256(editor.resolve("manifest.json")));
                provenance.put("reverseEditorManifestSha256", AtomicFiles.sha256(reverseEditor.resolve(
                        "manifest.json")));
                provenance.put("reverseEdit", back);
                provenance.put("targetCaptions", targetCaptions);
                made = EditPairs.make(split.train(), indices, o.resolution(), fwd, edit, rev, back,
                        ProgressListener.NONE);
            }
            System.out.printf("%d pairs made from images of %s whose caption matches '%s'%n", made.size(),
                    split.train().describe(), targetCaptions);
            try (Progress bar = new Progress("upsampler fine-tune", t.steps())) {
                r = EditPairs.fineTune(start, split.train(), made, edit, t, o, out, m, bar, force.force, provenance);
            }
        }
        System.out.printf("upsampler for \"%s\" written to %s; inside the hidden region of %d held-out pairs: bilinear"
                + " %.2f dB, before %.2f dB, after %.2f dB%n", edit, out, r.heldOutPairs(), r.bilinearPsnr(),
                r.startPsnr(), r.tunedPsnr());
        if (bundleOut != null) {
            writeBundle();
            System.out.printf("editor bundle with \"%s\" put back by it written to %s%n", edit, bundleOut);
        }
        return 0;
    }

    /** A copy of --editor in --bundle-out, --edit put back by the new upsampler. */
    private void writeBundle() {
        JsonNode source = EditorBundle.readVerified(editor);
        JsonNode up = GuidedUpsampler.check(out, source.path("resolution").asInt());
        EditorBundle.Target target = new EditorBundle.Target(bundleOut, false, false);
        java.util.Iterator<String> names = source.path("edits").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals(edit)) {
                EditorBundle.copyEdit(editor, name, target);
            }
        }
        ObjectNode replaced = Json.object();
        replaced.put("putBack", org.sdd4j.api.PutBack.LEARNED.name());
        GuidedUpsampler.Network.of(up, GuidedUpsampler.NETWORK).put(replaced, EditorBundle.UPSAMPLER_NETWORK);
        EditorBundle.copyEdit(editor, edit, target, replaced, GuidedUpsampler.weightsFile(out, up));
    }

    private static String onlyEdit(Editor e) {
        if (e.edits().size() != 1) {
            throw new IllegalArgumentException("the reverse editor has the edits " + e.edits() + "; name one with"
                    + " --reverse-edit");
        }
        return e.edits().iterator().next();
    }

    private static void requireResolution(Path bundle, int resolution) {
        int r = EditorBundle.readVerified(bundle).path("resolution").asInt();
        if (r != resolution) {
            throw new IllegalArgumentException("the editor " + bundle + " edits at " + r + " px; pass --resolution "
                    + r);
        }
    }
}
