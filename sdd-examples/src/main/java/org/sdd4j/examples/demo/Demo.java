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
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.backend.pytorch.PyTorchBackend;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
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

    /** The world seed of the training faces. */
    public static final long TRAIN_WORLD = 1;
    /** The world seed of the held-out faces (never used for training). */
    public static final long HELD_OUT_WORLD = 1001;

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

    /** Indices (in the held-out world) of the first {@code n} faces an edit applies to. */
    public static List<Integer> heldOutIndices(EditTarget edit, int n, int resolution) {
        FaceWorld world = new FaceWorld(HELD_OUT_WORLD, 1_000_000, resolution);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; out.size() < n; i++) {
            if (edit.appliesTo(world.face(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** Held-out faces an edit applies to, the first {@code n} of the held-out world. */
    public static List<Face> heldOutFaces(EditTarget edit, int n, int resolution) {
        FaceWorld world = new FaceWorld(HELD_OUT_WORLD, 1_000_000, resolution);
        return heldOutIndices(edit, n, resolution).stream().map(world::face).toList();
    }

    /** Edited images with their timings. */
    public record TimedEdits(List<BufferedImage> edited, double msBatch1, double msBatch32) {}

    /**
     * Applies an edit to every image in batches of 32 and times it: after a warm-up, milliseconds per
     * image at batch 1 (over up to 32 single calls) and at batch 32.
     */
    public static TimedEdits timedEdits(ManipulatorEditor editor, String edit, List<BufferedImage> in) {
        editor.editRgb(in.subList(0, Math.min(8, in.size())), edit); // warm-up
        long t1 = System.nanoTime();
        int single = Math.min(32, in.size());
        for (int i = 0; i < single; i++) {
            editor.editRgb(List.of(in.get(i)), edit);
        }
        double ms1 = (System.nanoTime() - t1) / 1e6 / single;
        long t2 = System.nanoTime();
        List<BufferedImage> edited = new ArrayList<>();
        for (int from = 0; from < in.size(); from += 32) {
            edited.addAll(editor.editRgb(in.subList(from, Math.min(in.size(), from + 32)), edit));
        }
        double ms32 = (System.nanoTime() - t2) / 1e6 / in.size();
        return new TimedEdits(edited, ms1, ms32);
    }

    /** Runs the demo. */
    public static List<EditResult> run(Options o, Function<String, ProgressListener> progress, PrintStream log) {
        SddBackend backend = new PyTorchBackend();
        Path out = o.out();
        List<EditResult> results = new ArrayList<>();
        Path teacherDir = o.teacher() != null ? o.teacher() : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        Path oracleDir = o.oracle() != null ? o.oracle() : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherDir);
                NDManager m = PyTorchBackend.newManager();
                Oracle oracle = Oracle.load(oracleDir, m)) {
            claimReportFolder(out, o.overwrite());
            int res = teacher.space().height();
            FaceWorld train = new FaceWorld(TRAIN_WORLD, 1_000_000, res);
            Path bundle = out.resolve("editor");
            for (String name : o.edits()) {
                EditTarget edit = EditTarget.byName(name);
                log.println("== " + edit.name() + ": searching timesteps for \"" + edit.prompt() + "\"");
                TimestepSelection sel = backend.newTimestepSelector().select(teacher, edit.prompt(),
                        FaceWorld.images(train.faces(0, 16)), SelectionOptions.defaults());
                log.print(Reports.hqsTable(sel));
                String slug = edit.name().replace(' ', '-');
                Reports.hqsPlot(sel, out.resolve("hqs-" + slug + ".png"));
                long t0 = System.nanoTime();
                DistillOptions d = o.options().toBuilder().steps(o.steps()).build();
                ProgressListener bar = progress.apply("distill " + edit.name());
                backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(),
                        o.negative() ? edit.negativePrompt() : "", teacher, train, sel, d, bundle,
                        out.resolve("work").resolve(slug), bar).withOutputPolicy(o.overwrite(), false));
                Reports.close(bar);
                double distillSeconds = (System.nanoTime() - t0) / 1e9;
                AtomicFiles.write(out.resolve("loss-" + slug + ".png"),
                        Files.readAllBytes(out.resolve("work").resolve(slug).resolve("loss.png")));
                results.add(evaluate(edit, sel, bundle, oracle, o.heldOut(), m, res, distillSeconds, out, log));
            }
            writeHtml(out, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    private static EditResult evaluate(EditTarget edit, TimestepSelection sel, Path bundle, Oracle oracle, int n,
            NDManager m, int res, double distillSeconds, Path out, PrintStream log) {
        List<Face> faces = heldOutFaces(edit, n, res);
        List<BufferedImage> in = faces.stream().map(Face::image).toList();
        try (ManipulatorEditor editor = ManipulatorEditor.load(bundle, m)) {
            TimedEdits te = timedEdits(editor, edit.name(), in);
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
                .append(" held-out faces (world seed ").append(HELD_OUT_WORLD).append(", never used in training),")
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
        Files.writeString(out.resolve("index.html"), h.toString());
    }
}
