package org.sdd4j.examples.demo;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.FullResolution;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.HeldOut;
import org.sdd4j.core.eval.Realism;
import org.sdd4j.core.eval.ResolutionCheck;
import org.sdd4j.core.eval.TimedEdits;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.report.Grids;
import org.sdd4j.examples.EmbeddedModels;

/**
 * The main job: with the shipped teacher and oracle, search timesteps (HQS), distil the edits, apply
 * them to held-out faces the manipulator never saw, measure them with the oracle and write a report
 * folder with index.html.
 */
public final class Demo {

    /**
     * Options.
     *
     * @param edits edit names (see {@link EditTarget})
     * @param steps distillation steps per edit
     * @param heldOut held-out faces per edit
     * @param out report folder
     * @param options base distillation options
     * @param teacher teacher folder, or null for the embedded one
     * @param oracle oracle folder, or null for the embedded one
     * @param negative guide away from each edit's negative prompt instead of the empty prompt
     * @param overwrite replace an earlier demo's report and edits in {@code out}
     * @param recipes distil each edit that has a {@link Recipes recipe} with it (embedded teacher only)
     */
    public record Options(List<String> edits, int steps, int heldOut, Path out, DistillOptions options, Path teacher,
            Path oracle, boolean negative, boolean overwrite, boolean recipes) {

        /** Whether the recipes apply: asked for, and measured with the embedded teacher, which this run uses. */
        boolean usesRecipes() {
            return recipes && teacher == null;
        }

        /** The distillation options of one edit: its recipe when {@link #usesRecipes()}, else the base options. */
        DistillOptions forEdit(String edit) {
            DistillOptions base = options.toBuilder().steps(steps).build();
            return usesRecipes() ? Recipes.apply(edit, base) : base;
        }
    }

    /** The marker that says "a report folder of the demo". */
    static final String MARKER = ".sdd-demo";

    /**
     * Makes sure the report folder may be written: new or empty (marked as the demo's), or an earlier
     * demo's folder when {@code overwrite} is set. A folder of anything else is never written into.
     */
    static void claimReportFolder(Path out, boolean overwrite) throws IOException {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IllegalArgumentException(out + " exists and is not a folder; choose a report folder with --out");
            }
            boolean empty;
            try (var s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(out.resolve(MARKER))) {
                throw new IllegalArgumentException(out + " exists, is not empty and is not a report folder of sdd demo;"
                        + " choose another with --out");
            }
            if (!empty && !overwrite) {
                throw new IllegalArgumentException(out + " holds an earlier demo run; pass --overwrite to replace its"
                        + " report and edits (other files there are kept), or choose another folder with --out");
            }
        }
        Files.createDirectories(out);
        if (!Files.exists(out.resolve(MARKER))) {
            AtomicFiles.write(out.resolve(MARKER), "report folder of sdd demo\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One edit's outcome. */
    public record EditResult(EditTarget edit, TimestepSelection selection, EditMetrics metrics, Realism realism,
            double msPerImageBatch1, double msPerImageBatch32, double distillSeconds, List<ResolutionCheck.Row> sizes,
            FullResolution.Mode putBack, org.sdd4j.core.eval.AlreadyShown alreadyShown) {}

    /** The SDEdit strength of the comparison pictures (the best trade-off of `sdd evaluate`, docs/RESULTS.md). */
    static final double SDEDIT_STRENGTH = 0.2;
    /** Sizes of the resolution check. */
    static final int[] SIZES = {128, 256};

    /** Runs the demo. */
    public static List<EditResult> run(Options o, BiFunction<String, Integer, ProgressListener> progress,
            PrintStream log) {
        SddBackend backend = Backends.bestForTraining();
        Path out = o.out();
        List<EditResult> results = new ArrayList<>();
        Path teacherDir = o.teacher() != null ? o.teacher() : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        Path oracleDir = o.oracle() != null ? o.oracle() : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherDir);
                NDManager m = backend.newManager();
                Oracle oracle = Oracle.load(oracleDir, m)) {
            claimReportFolder(out, o.overwrite());
            int res = teacher.imageSize();
            FaceWorld train = HeldOut.trainingWorld(res);
            Path bundle = out.resolve("editor");
            for (String name : o.edits()) {
                EditTarget edit = EditTarget.byName(name);
                log.println("== " + edit.name() + ": searching timesteps for \"" + edit.prompt() + "\"");
                DistillOptions d = o.forEdit(edit.name());
                if (o.usesRecipes()) {
                    Recipes.describe(edit.name()).ifPresent(r -> log.println("   its recipe (--no-recipe to use the"
                            + " options given): " + r));
                }
                String negative = o.negative() ? edit.negativePrompt() : "";
                TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(),
                        FaceWorld.images(train.faces(0, 16)), SelectionOptions.defaults().withGuidanceOf(negative,
                                d.sds()));
                log.print(Reports.hqsTable(sel));
                String slug = edit.name().replace(' ', '-');
                Reports.hqsPlot(sel, out.resolve("hqs-" + slug + ".png"));
                long t0 = System.nanoTime();
                ProgressListener bar = progress.apply("distill " + edit.name(), d.totalSteps());
                backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(),
                        negative, teacher, train, sel, d, bundle,
                        out.resolve("work").resolve(slug), bar).withOutputPolicy(o.overwrite(), false));
                Reports.close(bar);
                double distillSeconds = (System.nanoTime() - t0) / 1e9;
                AtomicFiles.write(out.resolve("loss-" + slug + ".png"),
                        Files.readAllBytes(out.resolve("work").resolve(slug).resolve("loss.png")));
                results.add(evaluate(backend, teacher, edit, sel, bundle, oracle, o.heldOut(), res, distillSeconds, out,
                        negative, m, log));
            }
            DemoReport.write(out, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    private static EditResult evaluate(SddBackend backend, DiffusionTeacher teacher, EditTarget edit,
            TimestepSelection sel, Path bundle, Oracle oracle, int n, int res, double distillSeconds, Path out,
            String negative, NDManager m, PrintStream log) {
        List<Integer> idx = HeldOut.indices(edit, n, res);
        List<Face> faces = HeldOut.faces(edit, n, res);
        List<Face> counterfactuals = HeldOut.counterfactuals(edit, idx, res);
        List<BufferedImage> in = HeldOut.images(faces);
        String slug = edit.name().replace(' ', '-');
        TimedEdits te;
        List<BufferedImage> showing = HeldOut.images(HeldOut.facesShowing(edit, n, res));
        org.sdd4j.core.eval.AlreadyShown already;
        try (Editor editor = backend.loadEditor(bundle)) {
            te = TimedEdits.measure(editor, edit.name(), in);
            already = org.sdd4j.core.eval.AlreadyShown.measure(oracle, edit, showing,
                    TimedEdits.editAll(editor, edit.name(), showing));
        }
        List<BufferedImage> edited = te.edited();
        EditMetrics metrics = EditMetrics.measure(oracle, edit, faces, edited);
        Realism realism = Realism.measure(edit, faces, counterfactuals, edited);
        int shown = Math.min(12, in.size());
        List<BufferedImage> grid = new ArrayList<>(in.subList(0, shown));
        grid.addAll(edited.subList(0, shown));
        Grids.write(out.resolve("before-after-" + slug + ".png"), grid, shown, 4);
        // input / SDD / genuine counterfactual / SDEdit, for the same faces
        int k = Math.min(8, in.size());
        List<BufferedImage> compare = new ArrayList<>(in.subList(0, k));
        compare.addAll(edited.subList(0, k));
        compare.addAll(HeldOut.images(counterfactuals.subList(0, k)));
        compare.addAll(new SdEdit(teacher).edit(in.subList(0, k), edit.prompt(), negative,
                SdEdit.Options.defaults().withStrength(SDEDIT_STRENGTH), k, m));
        Grids.write(out.resolve("compare-" + slug + ".png"), compare, k, 4);
        log.printf(Locale.ROOT, "%s on %d held-out faces: success %.1f%%, preservation %.1f%%, PSNR outside the %s"
                + " region %.1f dB, PSNR to the genuine counterfactual %.1f dB (%.1f dB in the region), oracle P(target)"
                + " %.3f -> %.3f, %.2f ms/image at batch 1, %.2f ms/image at batch 32%n", edit.name(), metrics.count(),
                100 * metrics.success(), 100 * metrics.preservation(), edit.region(), metrics.psnrOutside(),
                realism.psnrWhole(), realism.psnrRegion(), metrics.targetScoreBefore(), metrics.targetScore(),
                te.msBatch1(), te.msBatch32());
        log.printf(Locale.ROOT, "  success by original %s: %s%n", FaceAttributes.HEADS.get(edit.head()),
                metrics.successBySourceText());
        log.printf(Locale.ROOT, "  on %d held-out faces that already show the target: PSNR to the input %.1f dB, changed"
                + " (below %.0f dB) %.1f%%, still judged %s %.1f%%%n", already.count(), already.psnrToInput(),
                org.sdd4j.core.eval.AlreadyShown.CHANGED_BELOW_DB, 100 * already.changed(), edit.name(),
                100 * already.stillTarget());
        List<ResolutionCheck.Row> sizes;
        FullResolution.Mode putBack;
        try (ManipulatorEditor editor = ManipulatorEditor.load(bundle, m)) {
            sizes = ResolutionCheck.run(editor, oracle, edit, n, res, SIZES, 6);
            putBack = editor.putBack(edit.name());
        }
        for (int size : SIZES) {
            List<ResolutionCheck.Row> bySize = sizes.stream().filter(r -> r.size() == size).toList();
            int e = bySize.get(0).examples().size() / 3;
            List<BufferedImage> pics = new ArrayList<>(bySize.get(0).examples().subList(0, e));
            for (ResolutionCheck.Row r : bySize) {
                pics.addAll(r.examples().subList(e, 2 * e));
                log.printf(Locale.ROOT, "  at %dx%d, %s%s: success %.1f%%, PSNR to the counterfactual in the region %.1f dB,"
                        + " to the input outside it %.1f dB, original %s kept in %.1f%%, eyes changed in %s%n", size,
                        size, r.mode(), r.mode() == putBack ? " (the editor's)" : "", 100 * r.success(),
                        r.realism().psnrRegion(), r.psnrOutside(), edit.region(), 100 * r.originalKept(),
                        ResolutionCheck.percent(r.eyesChanged()));
            }
            pics.addAll(bySize.get(0).examples().subList(2 * e, 3 * e));
            Grids.write(out.resolve("resolution-" + slug + "-" + size + ".png"), pics, e, 1);
        }
        return new EditResult(edit, sel, metrics, realism, te.msBatch1(), te.msBatch32(), distillSeconds, sizes,
                putBack, already);
    }
}
