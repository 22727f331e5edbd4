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
import java.util.Map;
import java.util.Locale;
import java.util.function.BiFunction;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.eval.Comparison;
import org.sdd4j.core.eval.Comparison.Row;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.report.Plots;
import org.sdd4j.examples.EmbeddedModels;

/**
 * Prints and writes the comparison of {@link Comparison} (SDD with HQS / other timesteps vs SDEdit, on
 * held-out faces): the table, results.md, results.json, trade-off plots and grids. The protocol itself
 * is in core; this class only reports.
 */
public final class Evaluation {

    /**
     * Options.
     *
     * @param edits edit names (see {@link EditTarget})
     * @param protocol the comparison's options
     * @param out output folder
     * @param teacher teacher folder, or null for the embedded one
     * @param oracle oracle folder, or null for the embedded one
     */
    public record Options(List<String> edits, Comparison.Options protocol, Path out, Path teacher, Path oracle) {}

    private Evaluation() {}

    /** Runs every row for every edit on the best training-capable backend, writes the report, returns the rows. */
    public static List<Row> run(Options o, BiFunction<String, Integer, ProgressListener> progress, PrintStream log) {
        SddBackend backend = Backends.bestForTraining();
        Path teacherDir = o.teacher() != null ? o.teacher() : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        Path oracleDir = o.oracle() != null ? o.oracle() : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        List<Row> rows = new ArrayList<>();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherDir);
                NDManager m = backend.newManager();
                Oracle oracle = Oracle.load(oracleDir, m)) {
            Files.createDirectories(o.out());
            for (String name : o.edits()) {
                EditTarget edit = EditTarget.byName(name);
                String slug = edit.name().replace(' ', '-');
                log.printf(Locale.ROOT, "== %s: %d held-out faces (world %d)%n", edit.name(), o.protocol().faces(),
                        o.protocol().heldOutWorld());
                Comparison.Result result = Comparison.run(backend, teacher, oracle, edit, o.protocol(),
                        o.out().resolve("work").resolve(slug), new Comparison.Listener() {
                            @Override
                            public ProgressListener progress(String label, int total) {
                                return progress.apply(label, total);
                            }

                            @Override
                            public void done(ProgressListener p) {
                                Reports.close(p);
                            }

                            @Override
                            public void onSelection(EditTarget e, TimestepSelection sel) {
                                Reports.hqsPlot(sel, o.out().resolve("hqs-" + slug + ".png"));
                                log.print(Reports.hqsTable(sel));
                            }

                            @Override
                            public void onRow(Row r) {
                                log.println(format(r));
                            }
                        });
                rows.addAll(result.rows());
                List<BufferedImage> grid = new ArrayList<>();
                result.gridRows().forEach(grid::addAll);
                Grids.write(o.out().resolve("grid-" + slug + ".png"), grid, result.gridRows().get(0).size(), 3);
                plots(o.out(), slug, edit, result.rows());
            }
            write(o, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** One row as a line of the markdown table. */
    static String format(Row r) {
        EditMetrics mt = r.metrics();
        var re = r.realism();
        return String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.3f"
                + " | %.2f | %.2f | %.0f | %.0f |", r.method(), r.timesteps(), 100 * mt.success(), 100 * mt.preservation(),
                mt.psnrOutside(), re.psnrWhole(), re.psnrRegion(), re.meanColourError(), re.spreadRatio(), r.frechet(),
                mt.targetScore(), r.msBatch1(), r.msBatched(), r.setupSeconds(), r.costSeconds());
    }

    /** The markdown header of {@link #format(Row)}. */
    static String header(int costImages) {
        return "| method | t | success | preservation | PSNR outside (dB) | PSNR to genuine (dB) | PSNR to genuine,"
                + " region (dB) | colour error | spread ratio | FD to genuine | P(target) | ms/edit b1 | ms/edit b32"
                + " | setup (s) | time for " + costImages + " edits (s) |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
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
        StringBuilder bySource = new StringBuilder();
        for (Row r : rows) {
            if (!r.edit().equals(current)) {
                md.append(bySource);
                bySource.setLength(0);
                current = r.edit();
                md.append("\n### ").append(current).append("\n\n").append(header(costImages)).append('\n');
                bySource.append("\nSuccess by the edited attribute's original class (faces in brackets):\n\n");
            }
            md.append(format(r)).append('\n');
            bySource.append("- ").append(r.method()).append(": ").append(r.metrics().successBySourceText()).append('\n');
        }
        return md.append(bySource).toString();
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
            ObjectNode bySource = n.putObject("successBySource");
            r.metrics().successBySource().forEach((k, v) -> bySource.putObject(k).put("success", v.fraction())
                    .put("faces", v.count()));
            n.put("frechet", r.frechet());
            n.put("psnrToGenuine", r.realism().psnrWhole());
            n.put("psnrToGenuineRegion", r.realism().psnrRegion());
            n.put("colourError", r.realism().meanColourError());
            n.put("spreadRatio", r.realism().spreadRatio());
            n.put("targetScore", r.metrics().targetScore());
            n.put("msPerEditBatch1", r.msBatch1());
            n.put("msPerEditBatch32", r.msBatched());
            n.put("setupSeconds", r.setupSeconds());
            n.put("costSeconds", r.costSeconds());
        }
        AtomicFiles.write(o.out().resolve("results.md"), table(rows, o.protocol().costImages()).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        Json.write(o.out().resolve("results.json"), json);
    }
}
