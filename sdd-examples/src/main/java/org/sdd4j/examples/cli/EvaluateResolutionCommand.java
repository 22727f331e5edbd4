package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.edit.GuidedUpsampler;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.ResolutionCheck;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.report.Grids;
import org.sdd4j.examples.EmbeddedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Edits at larger sizes than the model's, against counterfactuals rendered at that size. */
@Command(name = "evaluate-resolution", mixinStandardHelpOptions = true,
        description = {"Edit held-out FaceWorld faces rendered at larger sizes with an editor trained at the model"
            + " resolution, and compare with the same faces rendered with the target attribute at that size:"
            + " oracle success on the downsampled edit, PSNR to the counterfactual in the edit region, and how often"
            + " the original region survives (a second mouth). Both ways of putting the edit back are measured."})
final class EvaluateResolutionCommand implements Callable<Integer> {

    @Option(names = "--editor", required = true, description = "An editor bundle of FaceWorld edits.")
    Path editor;

    @Option(names = "--edit", required = true, description = "The edit, e.g. smiling.")
    String edit;

    @Option(names = "--sizes", split = ",", defaultValue = "128,256", description = "Sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--faces", defaultValue = "200", description = "Held-out faces (default: ${DEFAULT-VALUE}).")
    int faces;

    @Option(names = "--oracle", description = "Oracle folder (default: the embedded oracle).")
    Path oracle;

    @Option(names = "--upsampler", description = "Also measure put-back LEARNED with this guided upsampler (sdd"
            + " train-upsampler; 'embedded' for FaceWorld's, 'embedded-smiling' for its smile's), in place of the one"
            + " the edit stores, if any.")
    String upsampler;

    @Option(names = "--smoothing", description = "Smooth what the learned upsampler draws by this colour spread (in"
            + " [-1, 1] units; 0 for none) instead of what it records, to measure a setting (default: as recorded).")
    Double smoothing;

    @Option(names = "--framing", description = "Also edit the faces of the largest size in the middle of wide (4:3)"
            + " and tall (3:4) pictures with each --fit of sdd edit, and off the centre of a picture twice their size"
            + " across with each --fit and with --region boxes (exact, 1/20 and 1/10 off, 1/5 larger, 1/10 smaller),"
            + " measured on the face's square (about 3 min for a recolour, 12 min for the learned put-back, at 256"
            + " px).")
    boolean framing;

    @Option(names = "--out", description = "Folder for the pictures (default: none).")
    Path out;

    @Option(names = "--no-target-colours", description = "Measure the put-back without the colours the bundle records"
            + " for the edit's target (as `sdd edit --no-target-colours`).")
    boolean noTargetColours;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        EditTarget target = EditTarget.byName(edit);
        SddBackend backend = Backends.bestForTraining();
        Path oracleDir = oracle != null ? oracle : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        if (out != null) {
            List<Path> pngs = new java.util.ArrayList<>(sizes.stream().map(s -> out.resolve("resolution-"
                    + target.name().replace(' ', '-') + "-" + s + ".png")).toList());
            if (framing) {
                pngs.add(framingPng(target));
            }
            overwrite.check(pngs.toArray(Path[]::new));
        }
        try (NDManager m = backend.newManager(); Oracle judge = Oracle.load(oracleDir, m);
                ManipulatorEditor e = ManipulatorEditor.load(editor, m)) {
            if (upsampler != null) {
                e.upsampler(target.name(), GuidedUpsampler.load(EmbeddedModels.upsampler(upsampler), m));
            }
            if (noTargetColours) {
                e.ignoreTargetColours(target.name());
            }
            if (smoothing != null) {
                if (!e.hasUpsampler(target.name())) {
                    throw new IllegalArgumentException("--smoothing applies to a learned upsampler; edit \""
                            + target.name() + "\" of " + editor + " has none (give one with --upsampler)");
                }
                e.upsampler(target.name()).smoothing(smoothing);
            }
            List<ResolutionCheck.Row> rows = ResolutionCheck.run(e, judge, target, faces, e.resolution(),
                    sizes.stream().mapToInt(Integer::intValue).toArray(), 6);
            System.out.println("| size | put back by | success (oracle, downsampled) | PSNR to genuine, region (dB) |"
                    + " PSNR to genuine (dB) | PSNR to input, outside the region (dB) | original region kept |"
                    + " eyes changed | colour error, region |");
            System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            for (ResolutionCheck.Row r : rows) {
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f%% | %.2f | %.2f | %.2f | %.1f%% | %s | %.1f |%n",
                        r.size(), r.mode(), 100 * r.success(), r.realism().psnrRegion(), r.realism().psnrWhole(),
                        r.psnrOutside(), 100 * r.originalKept(), ResolutionCheck.percent(r.eyesChanged()),
                        r.realism().meanColourError());
            }
            if (out != null) {
                for (int s : sizes) {
                    List<java.awt.image.BufferedImage> grid = new java.util.ArrayList<>();
                    List<ResolutionCheck.Row> bySize = rows.stream().filter(r -> r.size() == s).toList();
                    int k = bySize.get(0).examples().size() / 3;
                    grid.addAll(bySize.get(0).examples().subList(0, k));
                    for (ResolutionCheck.Row r : bySize) {
                        grid.addAll(r.examples().subList(k, 2 * k));
                    }
                    grid.addAll(bySize.get(0).examples().subList(2 * k, 3 * k));
                    Path png = out.resolve("resolution-" + target.name().replace(' ', '-') + "-" + s + ".png");
                    Grids.write(png, grid, k, 1);
                    System.out.println("rows: input / " + bySize.stream().map(r -> r.mode().toString()).toList()
                            + " / genuine counterfactual -> " + png);
                }
            }
            if (framing) {
                printFraming(ResolutionCheck.framed(e, judge, target, faces, e.resolution(),
                        sizes.stream().mapToInt(Integer::intValue).max().orElseThrow(), 4), target);
            }
        }
        return 0;
    }

    private Path framingPng(EditTarget target) {
        return out.resolve("framing-" + target.name().replace(' ', '-') + ".png");
    }

    private void printFraming(List<ResolutionCheck.FramedRow> rows, EditTarget target) {
        System.out.println();
        System.out.println("faces in pictures that are not square (measured on the face's square; the 4:3 and 3:4"
                + " pictures have the face in the middle, the 2:1.5 picture off the centre, edited with --fit or"
                + " --region):");
        System.out.println("| picture | sdd edit | success (oracle, downsampled) | PSNR to genuine, region (dB) |"
                + " PSNR to input, outside the region (dB) | original region kept | PSNR outside the face's square to"
                + " input (dB) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (ResolutionCheck.FramedRow r : rows) {
            String how = r.framing().startsWith("region") ? "--" + r.framing() : "--fit " + r.framing();
            System.out.printf(Locale.ROOT, "| %dx%d | %s | %.1f%% | %.2f | %.2f | %.1f%% | %.2f |%n", r.width(),
                    r.height(), how, 100 * r.success(), r.realism().psnrRegion(), r.psnrOutside(),
                    100 * r.originalKept(), r.psnrMargins());
        }
        if (out != null) {
            // the off-centre pictures: input, then each framing's edit
            int w = rows.get(rows.size() - 1).width();
            List<ResolutionCheck.FramedRow> shown = rows.stream().filter(r -> r.width() == w
                    && r.height() == rows.get(rows.size() - 1).height()).toList();
            int k = shown.get(0).examples().size() / 2;
            List<java.awt.image.BufferedImage> grid = new java.util.ArrayList<>(shown.get(0).examples().subList(0, k));
            for (ResolutionCheck.FramedRow r : shown) {
                grid.addAll(r.examples().subList(k, 2 * k));
            }
            Path png = framingPng(target);
            Grids.write(png, grid, k, 1);
            System.out.println("rows: input / " + shown.stream().map(ResolutionCheck.FramedRow::framing).toList()
                    + " -> " + png);
        }
    }
}
