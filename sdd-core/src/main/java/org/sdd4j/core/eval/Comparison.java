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
     */
    public record Options(int faces, DistillOptions distill, List<Double> strengths, int sdeditSteps,
            float sdeditGuidance, List<Integer> fixedTimesteps, int costImages, boolean negative) {}

    /**
     * One row of the table.
     *
     * @param edit the edit's name
     * @param method what produced the edits
     * @param family "sdd", "sdedit" or "none"
     * @param timesteps the timesteps SDD trained at, or SDEdit's start
     * @param metrics oracle metrics
     * @param frechet Frechet distance of the oracle's features to the genuine counterfactuals
     * @param msBatch1 milliseconds per edit at batch 1
     * @param msBatched milliseconds per edit at batch 32
     * @param setupSeconds one-off cost before editing (timestep search and distillation for SDD)
     * @param costSeconds setup plus m edits at batch 1 (the paper's cost model)
     */
    public record Row(String edit, String method, String family, String timesteps, EditMetrics metrics,
            double frechet, double msBatch1, double msBatched, double setupSeconds, double costSeconds) {}

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
        int res = teacher.space().height();
        String negative = o.negative() ? edit.negativePrompt() : "";
        List<Integer> idx = HeldOut.indices(edit, o.faces(), res);
        FaceWorld heldOut = HeldOut.world(res);
        List<Face> faces = idx.stream().map(heldOut::face).toList();
        List<BufferedImage> in = HeldOut.images(faces);
        List<float[]> genuine = features(oracle, HeldOut.images(HeldOut.counterfactuals(edit, idx, res)));
        List<List<BufferedImage>> grid = new ArrayList<>();
        int shown = Math.min(8, in.size());
        grid.add(in.subList(0, shown));
        List<Row> rows = new ArrayList<>();
        Row input = row(edit, "no edit (input)", "none", "-", oracle, faces, in, genuine, 0, 0, 0, 0);
        rows.add(input);
        listener.onRow(input);

        // SDD rows: HQS, the paper code's rule, random, fixed
        FaceWorld train = HeldOut.trainingWorld(res);
        List<Image> probe = FaceWorld.images(train.faces(0, 16));
        Map<String, TimestepSelection> selections = new LinkedHashMap<>();
        Map<String, Double> searchSeconds = new LinkedHashMap<>();
        TimestepSelection hqs = null;
        for (SelectionRule rule : List.of(SelectionOptions.defaults().rule(), SelectionRule.minimumEntropy())) {
            long t0 = System.nanoTime();
            TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(), probe,
                    SelectionOptions.defaults().withRule(rule).withGuidanceOf(negative, o.distill().sds()));
            String label = rule instanceof SelectionRule.MinimumEntropy ? "SDD, min-entropy rule (paper code)"
                    : "SDD, HQS " + rule;
            selections.put(label, sel);
            searchSeconds.put(label, (System.nanoTime() - t0) / 1e9);
            if (hqs == null) {
                hqs = sel;
                listener.onSelection(edit, sel);
            }
        }
        selections.put("SDD, random t in [20, 980]", TimestepSelection.fixed(edit.prompt(),
                SelectionOptions.range(20, 980, 1)));
        for (int t : o.fixedTimesteps()) {
            selections.put("SDD, fixed t = " + t, TimestepSelection.fixed(edit.prompt(), List.of(t)));
        }
        int k = 0;
        for (Map.Entry<String, TimestepSelection> e : selections.entrySet()) {
            String label = e.getKey();
            TimestepSelection sel = e.getValue();
            Path dir = work.resolve("sdd-" + k++);
            long t0 = System.nanoTime();
            ProgressListener bar = listener.progress(label, o.distill().steps());
            backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(), negative, teacher, train, sel,
                    o.distill(), dir.resolve("bundle"), dir, bar).withOutputPolicy(true, false));
            listener.done(bar);
            double setup = (System.nanoTime() - t0) / 1e9 + searchSeconds.getOrDefault(label, 0.0);
            try (Editor editor = backend.loadEditor(dir.resolve("bundle"))) {
                TimedEdits te = TimedEdits.measure(editor, edit.name(), in);
                List<Integer> s = sel.selected();
                String ts = s.size() > 8 ? s.get(0) + ".." + s.get(s.size() - 1) : s.toString();
                Row r = row(edit, label, "sdd", ts, oracle, faces, te.edited(), genuine, te.msBatch1(), te.msBatch32(),
                        setup, setup + o.costImages() * te.msBatch1() / 1000);
                rows.add(r);
                listener.onRow(r);
                grid.add(te.edited().subList(0, shown));
            }
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
                Row r = row(edit, String.format(Locale.ROOT, "SDEdit s = %.1f (%d DDIM steps, CFG %.1f)", s, ts.length,
                        o.sdeditGuidance()), "sdedit", ts.length == 0 ? "no noise" : "t0 = " + ts[0], oracle, faces,
                        edited, genuine, ms1, msBatched, 0, o.costImages() * ms1 / 1000);
                rows.add(r);
                listener.onRow(r);
                grid.add(edited.subList(0, shown));
            }
        }
        return new Result(edit, rows, hqs, grid);
    }

    private static List<float[]> features(Oracle oracle, List<BufferedImage> images) {
        return oracle.judge(images).stream().map(Oracle.Judgement::features).toList();
    }

    private static Row row(EditTarget edit, String method, String family, String ts, Oracle oracle, List<Face> faces,
            List<BufferedImage> edited, List<float[]> genuine, double ms1, double msB, double setup, double cost) {
        EditMetrics metrics = EditMetrics.measure(oracle, edit, faces, edited);
        double fd = FrechetDistance.between(features(oracle, edited), genuine);
        return new Row(edit.name(), method, family, ts, metrics, fd, ms1, msB, setup, cost);
    }
}
