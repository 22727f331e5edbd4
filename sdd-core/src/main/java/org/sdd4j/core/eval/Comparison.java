package org.sdd4j.core.eval;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TrainingProgress;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.oracle.Oracle;

/**
 * The paper's claims, measured on held-out faces (paper Tables 1 and 3): SDD with HQS-selected
 * timesteps against SDD with other timestep choices (the paper code's minimum-entropy rule, random,
 * fixed) and against SDEdit at several strengths, all with the same teacher and judged by the same
 * oracle. Runs on any backend that can train; prints and writes nothing (see the listener).
 */
public final class Comparison {

    /**
     * Options.
     *
     * @param faces held-out faces per edit
     * @param distill distillation options of every SDD row
     * @param strengths SDEdit strengths
     * @param sdeditSteps SDEdit DDIM steps over the full range
     * @param sdeditGuidance SDEdit CFG scale
     * @param fixedTimesteps the fixed-t SDD rows
     * @param costImages m of the cost model (time to edit m images, including SDD's search and training)
     * @param negative guide away from each edit's negative prompt (SDD and SDEdit alike)
     * @param variants guidance objectives and scales of the extra SDD rows with HQS-selected timesteps; the
     *     one whose edits come closest to the counterfactuals (among those reaching 90% success) is also
     *     run with random timesteps
     * @param heldOutWorld the FaceWorld seed of the faces measured ({@link HeldOut#HELD_OUT_WORLD} by default;
     *     another one gives a second look at settings chosen on the first)
     */
    public record Options(int faces, DistillOptions distill, List<Double> strengths, int sdeditSteps,
            float sdeditGuidance, List<Integer> fixedTimesteps, int costImages, boolean negative,
            List<Variant> variants, long heldOutWorld) {

        /**
         * Validates what can be checked before any row runs: every guidance variant combines with the distillation's
         * other guidance settings (a two-scale guidance's low-noise scale must not exceed the variant's scale).
         */
        public Options {
            for (Variant v : variants) {
                try {
                    v.applyTo(distill.sds());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--variants " + v.objective() + ":" + v.scale()
                            + " does not combine with the distillation's guidance (" + e.getMessage() + "); choose"
                            + " variants above --low-noise-guidance, or --variants none", e);
                }
            }
        }

        /** Options on the default held-out world. */
        public Options(int faces, DistillOptions distill, List<Double> strengths, int sdeditSteps,
                float sdeditGuidance, List<Integer> fixedTimesteps, int costImages, boolean negative,
                List<Variant> variants) {
            this(faces, distill, strengths, sdeditSteps, sdeditGuidance, fixedTimesteps, costImages, negative,
                    variants, HeldOut.HELD_OUT_WORLD);
        }

        /** Options without guidance variants. */
        public Options(int faces, DistillOptions distill, List<Double> strengths, int sdeditSteps,
                float sdeditGuidance, List<Integer> fixedTimesteps, int costImages, boolean negative) {
            this(faces, distill, strengths, sdeditSteps, sdeditGuidance, fixedTimesteps, costImages, negative,
                    List.of());
        }
    }

    /** A guidance objective at a scale. */
    public record Variant(GuidanceObjective objective, float scale) {
        /** The name of the variant in tables, e.g. {@code DDS s=30}. */
        public String label() {
            return objective + " s=" + (scale == Math.rint(scale) ? String.valueOf((int) scale) : String.valueOf(scale));
        }

        /** The distillation's guidance under this variant's objective and scale. */
        public org.sdd4j.api.SdsOptions applyTo(org.sdd4j.api.SdsOptions sds) {
            return sds.withObjective(objective).withGuidanceScale(scale);
        }

        /** Every objective at 7.5, 30 and 100. */
        public static List<Variant> all() {
            List<Variant> out = new ArrayList<>();
            for (GuidanceObjective o : GuidanceObjective.values()) {
                for (float s : new float[] {7.5f, 30f, 100f}) {
                    out.add(new Variant(o, s));
                }
            }
            return out;
        }
    }

    /**
     * One row of the table.
     *
     * @param edit the edit's name
     * @param method what produced the edits
     * @param family "sdd", "sdedit" or "none"
     * @param timesteps the timesteps SDD trained at, or SDEdit's start
     * @param metrics oracle metrics
     * @param frechet Frechet distance of the oracle's features to the genuine counterfactuals
     * @param realism distance of the edits to their genuine counterfactuals
     * @param msBatch1 milliseconds per edit at batch 1
     * @param msBatched milliseconds per edit at batch 32
     * @param setupSeconds one-off cost before editing (timestep search and distillation for SDD)
     * @param costSeconds setup plus m edits at batch 1 (the paper's cost model)
     */
    public record Row(String edit, String method, String family, String timesteps, EditMetrics metrics,
            double frechet, Realism realism, double msBatch1, double msBatched, double setupSeconds,
            double costSeconds) {}

    /** What one edit's comparison produced: its rows, the HQS selection, and the first faces of each row. */
    public record Result(EditTarget edit, List<Row> rows, TimestepSelection hqs, List<List<BufferedImage>> gridRows) {}

    /** Receives progress and rows as they are measured. */
    public interface Listener {
        /** A progress receiver for one long part (a distillation, an SDEdit strength). */
        default ProgressListener progress(String label, int total) {
            return ProgressListener.NONE;
        }

        /** Called when a progress receiver is no longer used. */
        default void done(ProgressListener progress) {}

        /** The HQS selection of the edit, once searched. */
        default void onSelection(EditTarget edit, TimestepSelection selection) {}

        /** A measured row. */
        default void onRow(Row row) {}
    }

    private Comparison() {}

    /**
     * Runs every row for one edit.
     *
     * @param backend a training-capable backend
     * @param teacher the teacher (any backend's)
     * @param oracle the judge
     * @param edit the edit
     * @param o options
     * @param work folder for the SDD rows' bundles and checkpoints
     * @param listener progress and rows
     * @return the rows
     */
    public static Result run(SddBackend backend, DiffusionTeacher teacher, Oracle oracle, EditTarget edit, Options o,
            Path work, Listener listener) {
        int res = teacher.imageSize();
        String negative = o.negative() ? edit.negativePrompt() : "";
        List<Integer> idx = HeldOut.indices(o.heldOutWorld(), edit, o.faces(), res);
        FaceWorld heldOut = HeldOut.world(o.heldOutWorld(), res);
        List<Face> faces = idx.stream().map(heldOut::face).toList();
        List<BufferedImage> in = HeldOut.images(faces);
        List<Face> counterfactuals = HeldOut.counterfactuals(o.heldOutWorld(), edit, idx, res);
        List<float[]> genuine = features(oracle, HeldOut.images(counterfactuals));
        Measure measure = new Measure(edit, oracle, faces, counterfactuals, genuine);
        List<List<BufferedImage>> grid = new ArrayList<>();
        int shown = Math.min(8, in.size());
        grid.add(in.subList(0, shown));
        List<Row> rows = new ArrayList<>();
        Row input = measure.row("no edit (input)", "none", "-", in, 0, 0, 0, 0);
        rows.add(input);
        listener.onRow(input);

        // SDD rows: HQS, the paper code's rule, random, fixed; then the guidance variants
        Sdd sdd = new Sdd(backend, teacher, edit, negative, HeldOut.trainingWorld(res), in, work, measure, listener, rows,
                grid, o.costImages());
        List<Image> probe = FaceWorld.images(sdd.train().faces(0, 16));
        TimestepSelection hqs = null;
        for (SelectionRule rule : List.of(SelectionOptions.defaults().rule(), SelectionRule.minimumEntropy())) {
            long t0 = System.nanoTime();
            TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(), probe,
                    SelectionOptions.defaults().withRule(rule).withGuidanceOf(negative, o.distill().sds()));
            double search = (System.nanoTime() - t0) / 1e9;
            if (hqs == null) {
                hqs = sel;
                listener.onSelection(edit, sel);
                sdd.run("SDD, HQS " + rule, sel, o.distill(), search);
            } else {
                sdd.run("SDD, min-entropy rule (paper code)", sel, o.distill(), search);
            }
        }
        sdd.run("SDD, random t in [20, 980]", TimestepSelection.fixed(edit.prompt(), SelectionOptions.range(20, 980, 1)),
                o.distill(), 0);
        for (int t : o.fixedTimesteps()) {
            sdd.run("SDD, fixed t = " + t, TimestepSelection.fixed(edit.prompt(), List.of(t)), o.distill(), 0);
        }
        Row best = null;
        DistillOptions bestOptions = null;
        for (Variant v : o.variants()) {
            DistillOptions d = o.distill().toBuilder().sds(v.applyTo(o.distill().sds())).build();
            long t0 = System.nanoTime();
            TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(), probe,
                    SelectionOptions.defaults().withGuidanceOf(negative, d.sds()));
            Row r = sdd.run("SDD " + v.label() + ", HQS", sel, d, (System.nanoTime() - t0) / 1e9);
            if (closer(r, best)) {
                best = r;
                bestOptions = d;
            }
        }
        if (best != null) {
            sdd.run("SDD " + best.method().substring(4, best.method().indexOf(", HQS")) + ", random t in [20, 980]",
                    TimestepSelection.fixed(edit.prompt(), SelectionOptions.range(20, 980, 1)), bestOptions, 0);
        }

        // SDEdit rows
        SdEdit sdedit = new SdEdit(teacher);
        try (NDManager m = backend.newManager()) {
            for (double s : o.strengths()) {
                SdEdit.Options so = new SdEdit.Options(s, o.sdeditSteps(), o.sdeditGuidance(), 7);
                ProgressListener pl = listener.progress("SDEdit s=" + s, in.size());
                List<BufferedImage> edited = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int from = 0; from < in.size(); from += 32) {
                    List<BufferedImage> chunk = in.subList(from, Math.min(in.size(), from + 32));
                    edited.addAll(sdedit.edit(chunk, edit.prompt(), negative, so, 32, m));
                    pl.onStep(new TrainingProgress(edited.size(), in.size(), Map.of(),
                            edited.size() / ((System.nanoTime() - t0) / 1e9)));
                }
                double msBatched = (System.nanoTime() - t0) / 1e6 / in.size();
                int single = Math.min(3, in.size());
                long t1 = System.nanoTime();
                for (int i = 0; i < single; i++) {
                    sdedit.edit(List.of(in.get(i)), edit.prompt(), negative, so, 1, m);
                }
                double ms1 = (System.nanoTime() - t1) / 1e6 / single;
                listener.done(pl);
                int[] ts = sdedit.timesteps(so);
                Row r = measure.row(String.format(Locale.ROOT, "SDEdit s = %.1f (%d DDIM steps, CFG %.1f)", s, ts.length,
                        o.sdeditGuidance()), "sdedit", ts.length == 0 ? "no noise" : "t0 = " + ts[0], edited, ms1,
                        msBatched, 0, o.costImages() * ms1 / 1000);
                rows.add(r);
                listener.onRow(r);
                grid.add(edited.subList(0, shown));
            }
        }
        return new Result(edit, rows, hqs, grid);
    }

    /** Whether row a comes closer to the counterfactuals than b: among rows with 90% success, higher PSNR in the region. */
    static boolean closer(Row a, Row b) {
        if (b == null) {
            return true;
        }
        boolean okA = a.metrics().success() >= 0.9;
        boolean okB = b.metrics().success() >= 0.9;
        if (okA != okB) {
            return okA;
        }
        return okA ? a.realism().psnrRegion() > b.realism().psnrRegion() : a.metrics().success() > b.metrics().success();
    }

    /** Distils and measures SDD rows, each in its own work folder. */
    private record Sdd(SddBackend backend, DiffusionTeacher teacher, EditTarget edit, String negative, FaceWorld train,
            List<BufferedImage> in, Path work, Measure measure, Listener listener, List<Row> rows,
            List<List<BufferedImage>> grid, int costImages) {
        Row run(String label, TimestepSelection sel, DistillOptions d, double searchSeconds) {
            Path dir = work.resolve("sdd-" + (rows.size() - 1));
            long t0 = System.nanoTime();
            ProgressListener bar = listener.progress(label, d.totalSteps());
            backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(), negative, teacher, train, sel,
                    d, dir.resolve("bundle"), dir, bar).withOutputPolicy(true, false));
            listener.done(bar);
            double setup = (System.nanoTime() - t0) / 1e9 + searchSeconds;
            try (Editor editor = backend.loadEditor(dir.resolve("bundle"))) {
                TimedEdits te = TimedEdits.measure(editor, edit.name(), in);
                List<Integer> s = sel.selected();
                String ts = s.size() > 8 ? s.get(0) + ".." + s.get(s.size() - 1) : s.toString();
                Row r = measure.row(label, "sdd", ts, te.edited(), te.msBatch1(), te.msBatch32(), setup,
                        setup + costImages * te.msBatch1() / 1000);
                rows.add(r);
                listener.onRow(r);
                grid.add(te.edited().subList(0, Math.min(8, in.size())));
                return r;
            }
        }
    }

    private static List<float[]> features(Oracle oracle, List<BufferedImage> images) {
        return oracle.judge(images).stream().map(Oracle.Judgement::features).toList();
    }

    /** Measures a row's edits: oracle metrics, Frechet distance and realism against the counterfactuals. */
    private record Measure(EditTarget edit, Oracle oracle, List<Face> faces, List<Face> counterfactuals,
            List<float[]> genuine) {
        Row row(String method, String family, String ts, List<BufferedImage> edited, double ms1, double msB,
                double setup, double cost) {
            EditMetrics metrics = EditMetrics.measure(oracle, edit, faces, edited);
            double fd = FrechetDistance.between(features(oracle, edited), genuine);
            return new Row(edit.name(), method, family, ts, metrics, fd, Realism.measure(edit, faces, counterfactuals,
                    edited), ms1, msB, setup, cost);
        }
    }
}
