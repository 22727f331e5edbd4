package org.sdd4j.examples.demo;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.backend.pytorch.PyTorchBackend;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.FrechetDistance;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.report.Plots;
import org.sdd4j.examples.EmbeddedModels;

/**
 * The paper's claims, measured on held-out faces: SDD with HQS-selected timesteps against SDD with
 * other timestep choices (random, fixed small / middle / large, the paper code's minimum-entropy rule)
 * and against SDEdit at several strengths, all with the same teacher and judged by the same oracle.
 */
public final class Evaluation {

    /**
     * Options.
     *
     * @param edits edit names (see {@link EditTarget})
     * @param faces held-out faces per edit
     * @param distill distillation options of every SDD row
     * @param strengths SDEdit strengths
     * @param sdeditSteps SDEdit DDIM steps over the full range
     * @param sdeditGuidance SDEdit CFG scale
     * @param fixedTimesteps the fixed-t SDD rows
     * @param costImages m of the cost model (time to edit m images, including SDD's search and training)
     * @param out output folder
     * @param teacher teacher folder, or null for the embedded one
     * @param oracle oracle folder, or null for the embedded one
     * @param negative guide away from each edit's negative prompt (SDD and SDEdit alike)
     */
    public record Options(List<String> edits, int faces, DistillOptions distill, List<Double> strengths,
            int sdeditSteps, float sdeditGuidance, List<Integer> fixedTimesteps, int costImages, Path out,
            Path teacher, Path oracle, boolean negative) {}

    /**
     * One row of the table.
     *
     * @param edit the edit's name
     * @param method what produced the edits
     * @param family "sdd", "sdedit" or "none", for the plot
     * @param timesteps the timesteps SDD trained at, or SDEdit's start
     * @param metrics oracle metrics
     * @param frechet Frechet distance of the oracle's features to genuinely rendered target faces
     * @param msBatch1 milliseconds per edit at batch 1
     * @param msBatched milliseconds per edit at batch 32
     * @param setupSeconds one-off cost before editing (timestep search and distillation for SDD)
     * @param costSeconds setup plus m edits at batch 1 (the paper's cost model)
     */
    public record Row(String edit, String method, String family, String timesteps, EditMetrics metrics,
            double frechet, double msBatch1, double msBatched, double setupSeconds, double costSeconds) {}

    private Evaluation() {}

    /** Runs every row for every edit, writes results.md, results.json, plots and grids, and returns the rows. */
    public static List<Row> run(Options o, BiFunction<String, Integer, ProgressListener> progress, PrintStream log) {
        PyTorchBackend backend = new PyTorchBackend();
        Path teacherDir = o.teacher() != null ? o.teacher() : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        Path oracleDir = o.oracle() != null ? o.oracle() : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        List<Row> rows = new ArrayList<>();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherDir);
                NDManager m = PyTorchBackend.newManager();
                Oracle oracle = Oracle.load(oracleDir, m)) {
            Files.createDirectories(o.out());
            int res = teacher.space().height();
            FaceWorld train = new FaceWorld(Demo.TRAIN_WORLD, 1_000_000, res);
            FaceWorld heldOut = new FaceWorld(Demo.HELD_OUT_WORLD, 1_000_000, res);
            for (String name : o.edits()) {
                EditTarget edit = EditTarget.byName(name);
                String slug = edit.name().replace(' ', '-');
                String negative = o.negative() ? edit.negativePrompt() : "";
                List<Integer> idx = Demo.heldOutIndices(edit, o.faces(), res);
                List<Face> faces = idx.stream().map(heldOut::face).toList();
                List<BufferedImage> in = faces.stream().map(Face::image).toList();
                List<float[]> genuine = features(oracle, idx.stream()
                        .map(i -> heldOut.faceWith(i, edit.target().apply(heldOut.attributes(i))).image()).toList());
                List<List<BufferedImage>> gridRows = new ArrayList<>();
                gridRows.add(in.subList(0, Math.min(8, in.size())));
                log.printf(Locale.ROOT, "== %s: %d held-out faces (world %d)%n", edit.name(), faces.size(),
                        Demo.HELD_OUT_WORLD);

                rows.add(row(edit, "no edit (input)", "none", "-", oracle, faces, in, genuine, 0, 0, 0, 0, o));

                // SDD rows: HQS, the paper code's rule, random, fixed
                Map<String, TimestepSelection> selections = new LinkedHashMap<>();
                Map<String, Double> searchSeconds = new LinkedHashMap<>();
                List<ai.djl.modality.cv.Image> probe = FaceWorld.images(train.faces(0, 16));
                for (SelectionRule rule : List.of(SelectionOptions.defaults().rule(), SelectionRule.minimumEntropy())) {
                    long t0 = System.nanoTime();
                    TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(), probe,
                            SelectionOptions.defaults().withRule(rule));
                    String label = rule instanceof SelectionRule.MinimumEntropy ? "SDD, min-entropy rule (paper code)"
                            : "SDD, HQS " + rule;
                    selections.put(label, sel);
                    searchSeconds.put(label, (System.nanoTime() - t0) / 1e9);
                    if (rule == SelectionOptions.defaults().rule()) {
                        Reports.hqsPlot(sel, o.out().resolve("hqs-" + slug + ".png"));
                        log.print(Reports.hqsTable(sel));
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
                    Path work = o.out().resolve("work").resolve(slug).resolve("sdd-" + k++);
                    long t0 = System.nanoTime();
                    ProgressListener bar = progress.apply(label, o.distill().steps());
                    backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(), negative, teacher,
                            train, sel, o.distill(), work.resolve("bundle"), work, bar));
                    Reports.close(bar);
                    double setup = (System.nanoTime() - t0) / 1e9 + searchSeconds.getOrDefault(label, 0.0);
                    try (ManipulatorEditor editor = ManipulatorEditor.load(work.resolve("bundle"), m)) {
                        Demo.TimedEdits te = Demo.timedEdits(editor, edit.name(), in);
                        String ts = sel.selected().size() > 8 ? sel.selected().get(0) + ".."
                                + sel.selected().get(sel.selected().size() - 1) : sel.selected().toString();
                        Row r = row(edit, label, "sdd", ts, oracle, faces, te.edited(), genuine, te.msBatch1(),
                                te.msBatch32(), setup, setup + o.costImages() * te.msBatch1() / 1000, o);
                        rows.add(r);
                        log.println(format(r));
                        gridRows.add(te.edited().subList(0, Math.min(8, in.size())));
                    }
                }

                // SDEdit rows
                SdEdit sdedit = new SdEdit(teacher);
                for (double s : o.strengths()) {
                    SdEdit.Options so = new SdEdit.Options(s, o.sdeditSteps(), o.sdeditGuidance(), 7);
                    ProgressListener pl = progress.apply("SDEdit s=" + s, in.size());
                    List<BufferedImage> edited = new ArrayList<>();
                    long t0 = System.nanoTime();
                    for (int from = 0; from < in.size(); from += 32) {
                        List<BufferedImage> chunk = in.subList(from, Math.min(in.size(), from + 32));
                        edited.addAll(sdedit.edit(chunk, edit.prompt(), negative, so, 32, m));
                        pl.onStep(new org.sdd4j.api.TrainingProgress(edited.size(), in.size(), Map.of(),
                                edited.size() / ((System.nanoTime() - t0) / 1e9)));
                    }
                    double msBatched = (System.nanoTime() - t0) / 1e6 / in.size();
                    int single = Math.min(3, in.size());
                    long t1 = System.nanoTime();
                    for (int i = 0; i < single; i++) {
                        sdedit.edit(List.of(in.get(i)), edit.prompt(), negative, so, 1, m);
                    }
                    double ms1 = (System.nanoTime() - t1) / 1e6 / single;
                    Reports.close(pl);
                    Row r = row(edit, String.format(Locale.ROOT, "SDEdit s = %.1f (%d DDIM steps, CFG %.1f)", s,
                            sdedit.timesteps(so).length, o.sdeditGuidance()), "sdedit", sdedit.timesteps(so).length == 0 ? "no noise" : "t0 = " + sdedit.timesteps(so)[0],
                            oracle, faces, edited, genuine, ms1, msBatched, 0, o.costImages() * ms1 / 1000, o);
                    rows.add(r);
                    log.println(format(r));
                    gridRows.add(edited.subList(0, Math.min(8, in.size())));
                }
                List<BufferedImage> grid = new ArrayList<>();
                gridRows.forEach(grid::addAll);
                Grids.write(o.out().resolve("grid-" + slug + ".png"), grid, Math.min(8, in.size()), 3);
                plots(o.out(), slug, edit, rows.stream().filter(r -> r.edit().equals(edit.name())).toList());
            }
            write(o, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static List<float[]> features(Oracle oracle, List<BufferedImage> images) {
        return oracle.judge(images).stream().map(Oracle.Judgement::features).toList();
    }

    private static Row row(EditTarget edit, String method, String family, String ts, Oracle oracle, List<Face> faces,
            List<BufferedImage> edited, List<float[]> genuine, double ms1, double msB, double setup, double cost,
            Options o) {
        EditMetrics metrics = EditMetrics.measure(oracle, edit, faces, edited);
        double fd = FrechetDistance.between(features(oracle, edited), genuine);
        return new Row(edit.name(), method, family, ts, metrics, fd, ms1, msB, setup, cost);
    }

    /** One row as a line of the markdown table. */
    static String format(Row r) {
        EditMetrics mt = r.metrics();
        return String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% | %.1f | %.2f | %.3f | %.2f | %.2f | %.0f | %.0f |",
                r.method(), r.timesteps(), 100 * mt.success(), 100 * mt.preservation(), mt.psnrOutside(), r.frechet(),
                mt.targetScore(), r.msBatch1(), r.msBatched(), r.setupSeconds(), r.costSeconds());
    }

    /** The markdown header of {@link #format(Row)}. */
    static String header(int costImages) {
        return "| method | t | success | preservation | PSNR outside (dB) | FD to genuine | P(target) | ms/edit b1 "
                + "| ms/edit b32 | setup (s) | time for " + costImages + " edits (s) |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    private static void plots(Path out, String slug, EditTarget edit, List<Row> rows) {
        for (String x : List.of("psnr", "preservation")) {
            Map<String, double[][]> series = new LinkedHashMap<>();
            for (String family : List.of("sdd", "sdedit", "none")) {
                List<Row> f = rows.stream().filter(r -> r.family().equals(family)).toList();
                if (f.isEmpty()) {
                    continue;
                }
                double[] xs = f.stream().mapToDouble(r -> x.equals("psnr") ? r.metrics().psnrOutside()
                        : 100 * r.metrics().preservation()).toArray();
                double[] ys = f.stream().mapToDouble(r -> 100 * r.metrics().success()).toArray();
                String label = switch (family) {
                    case "sdd" -> "SDD (HQS, min-entropy, random, fixed t)";
                    case "sdedit" -> "SDEdit (strengths)";
                    default -> "input, unedited";
                };
                series.put(label, new double[][] {xs, ys});
            }
            Plots.scatter(out.resolve("tradeoff-" + slug + "-" + x + ".png"), "\"" + edit.name()
                    + "\": editability vs fidelity", x.equals("psnr") ? "PSNR outside the " + edit.region()
                    + " region (dB)" : "attribute preservation (%)", "edit success (%)", series);
        }
    }

    /** The rows as markdown, one table per edit. */
    public static String table(List<Row> rows, int costImages) {
        StringBuilder md = new StringBuilder();
        String current = null;
        for (Row r : rows) {
            if (!r.edit().equals(current)) {
                current = r.edit();
                md.append("\n### ").append(current).append("\n\n").append(header(costImages)).append('\n');
            }
            md.append(format(r)).append('\n');
        }
        return md.toString();
    }

    private static void write(Options o, List<Row> rows) throws IOException {
        ArrayNode json = Json.array();
        for (Row r : rows) {
            ObjectNode n = json.addObject();
            n.put("edit", r.edit());
            n.put("method", r.method());
            n.put("timesteps", r.timesteps());
            n.put("faces", r.metrics().count());
            n.put("success", r.metrics().success());
            n.put("preservation", r.metrics().preservation());
            n.put("psnrOutside", r.metrics().psnrOutside());
            n.put("frechet", r.frechet());
            n.put("targetScore", r.metrics().targetScore());
            n.put("msPerEditBatch1", r.msBatch1());
            n.put("msPerEditBatch32", r.msBatched());
            n.put("setupSeconds", r.setupSeconds());
            n.put("costSeconds", r.costSeconds());
        }
        Files.writeString(o.out().resolve("results.md"), table(rows, o.costImages()));
        Json.write(o.out().resolve("results.json"), json);
    }
}
