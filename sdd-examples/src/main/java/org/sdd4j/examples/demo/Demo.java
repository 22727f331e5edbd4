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
import java.util.function.Function;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.HeldOut;
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
     */
    public record Options(List<String> edits, int steps, int heldOut, Path out, DistillOptions options, Path teacher,
            Path oracle, boolean negative, boolean overwrite) {}

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
    public record EditResult(EditTarget edit, TimestepSelection selection, EditMetrics metrics, double msPerImageBatch1,
            double msPerImageBatch32, double distillSeconds) {}

    /** Runs the demo. */
    public static List<EditResult> run(Options o, Function<String, ProgressListener> progress, PrintStream log) {
        SddBackend backend = Backends.bestForTraining();
        Path out = o.out();
        List<EditResult> results = new ArrayList<>();
        Path teacherDir = o.teacher() != null ? o.teacher() : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        Path oracleDir = o.oracle() != null ? o.oracle() : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherDir);
                NDManager m = backend.newManager();
                Oracle oracle = Oracle.load(oracleDir, m)) {
            claimReportFolder(out, o.overwrite());
            int res = teacher.space().height();
            FaceWorld train = HeldOut.trainingWorld(res);
            Path bundle = out.resolve("editor");
            for (String name : o.edits()) {
                EditTarget edit = EditTarget.byName(name);
                log.println("== " + edit.name() + ": searching timesteps for \"" + edit.prompt() + "\"");
                DistillOptions d = o.options().toBuilder().steps(o.steps()).build();
                String negative = o.negative() ? edit.negativePrompt() : "";
                TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(),
                        FaceWorld.images(train.faces(0, 16)), SelectionOptions.defaults().withGuidanceOf(negative,
                                d.sds()));
                log.print(Reports.hqsTable(sel));
                String slug = edit.name().replace(' ', '-');
                Reports.hqsPlot(sel, out.resolve("hqs-" + slug + ".png"));
                long t0 = System.nanoTime();
                ProgressListener bar = progress.apply("distill " + edit.name());
                backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(),
                        negative, teacher, train, sel, d, bundle,
                        out.resolve("work").resolve(slug), bar).withOutputPolicy(o.overwrite(), false));
                Reports.close(bar);
                double distillSeconds = (System.nanoTime() - t0) / 1e9;
                AtomicFiles.write(out.resolve("loss-" + slug + ".png"),
                        Files.readAllBytes(out.resolve("work").resolve(slug).resolve("loss.png")));
                results.add(evaluate(backend, edit, sel, bundle, oracle, o.heldOut(), res, distillSeconds, out, log));
            }
            writeHtml(out, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    private static EditResult evaluate(SddBackend backend, EditTarget edit, TimestepSelection sel, Path bundle,
            Oracle oracle, int n, int res, double distillSeconds, Path out, PrintStream log) {
        List<Face> faces = HeldOut.faces(edit, n, res);
        List<BufferedImage> in = HeldOut.images(faces);
        try (Editor editor = backend.loadEditor(bundle)) {
            TimedEdits te = TimedEdits.measure(editor, edit.name(), in);
            List<BufferedImage> edited = te.edited();
            double ms1 = te.msBatch1();
            double ms32 = te.msBatch32();
            EditMetrics metrics = EditMetrics.measure(oracle, edit, faces, edited);
            String slug = edit.name().replace(' ', '-');
            int shown = Math.min(12, in.size());
            List<BufferedImage> grid = new ArrayList<>(in.subList(0, shown));
            grid.addAll(edited.subList(0, shown));
            Grids.write(out.resolve("before-after-" + slug + ".png"), grid, shown, 4);
            log.printf(Locale.ROOT, "%s on %d held-out faces: success %.1f%%, preservation %.1f%%, PSNR outside the %s"
                    + " region %.1f dB, oracle P(target) %.3f -> %.3f, %.2f ms/image at batch 1, %.2f ms/image at"
                    + " batch 32%n", edit.name(), metrics.count(), 100 * metrics.success(), 100 * metrics.preservation(),
                    edit.region(), metrics.psnrOutside(), metrics.targetScoreBefore(), metrics.targetScore(), ms1, ms32);
            return new EditResult(edit, sel, metrics, ms1, ms32, distillSeconds);
        }
    }

    private static void writeHtml(Path out, List<EditResult> results) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>SDD for Java: demo report</title>")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:")
                .append("collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%}")
                .append("</style></head><body><h1>SDD for Java: demo report</h1>")
                .append("<p>Edits distilled from the embedded FaceWorld teacher and applied in one forward pass to")
                .append(" held-out faces (world seed ").append(HeldOut.HELD_OUT_WORLD).append(", never used in training),")
                .append(" judged by the independent attribute oracle.</p><table><tr><th>edit</th><th>faces</th>")
                .append("<th>success</th><th>preservation</th><th>PSNR outside region (dB)</th>")
                .append("<th>P(target) before &rarr; after</th><th>ms/image batch 1</th><th>ms/image batch 32</th>")
                .append("<th>selected t</th><th>distillation (s)</th></tr>");
        for (EditResult r : results) {
            EditMetrics mt = r.metrics();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f</td>"
                    + "<td>%.3f &rarr; %.3f</td><td>%.2f</td><td>%.2f</td><td>%s</td><td>%.0f</td></tr>", r.edit().name(),
                    mt.count(), 100 * mt.success(), 100 * mt.preservation(), mt.psnrOutside(), mt.targetScoreBefore(),
                    mt.targetScore(), r.msPerImageBatch1(), r.msPerImageBatch32(), r.selection().selected(),
                    r.distillSeconds()));
        }
        h.append("</table>");
        for (EditResult r : results) {
            String slug = r.edit().name().replace(' ', '-');
            h.append("<h2>").append(r.edit().name()).append(": \"").append(r.edit().prompt()).append("\"</h2>")
                    .append("<p>Top row: held-out inputs; bottom row: edited.</p>")
                    .append("<img src=\"before-after-").append(slug).append(".png\">")
                    .append("<h3>Timestep search</h3><img src=\"hqs-").append(slug).append(".png\">")
                    .append("<h3>Training curves</h3><img src=\"loss-").append(slug).append(".png\">")
                    .append("<p>Preservation per attribute: ");
            for (int k = 0; k < FaceAttributes.HEADS.size(); k++) {
                double v = r.metrics().perAttributePreservation()[k];
                if (!Double.isNaN(v)) {
                    h.append(String.format(Locale.ROOT, "%s %.1f%%; ", FaceAttributes.HEADS.get(k), 100 * v));
                }
            }
            h.append("</p>");
        }
        h.append("</body></html>\n");
        AtomicFiles.write(out.resolve("index.html"), h.toString().getBytes(StandardCharsets.UTF_8));
    }
}
