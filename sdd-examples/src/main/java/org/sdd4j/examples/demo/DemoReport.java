package org.sdd4j.examples.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.HeldOut;
import org.sdd4j.core.eval.ResolutionCheck;
import org.sdd4j.core.io.AtomicFiles;

/** The demo's index.html: the table, the pictures, the resolution check and what to try next. */
final class DemoReport {

    private DemoReport() {}

    static void write(Path out, List<Demo.EditResult> results) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>SDD for Java: demo report</title>")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:")
                .append("collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%}")
                .append("</style></head><body><h1>SDD for Java: demo report</h1>")
                .append("<p>Edits distilled from the embedded FaceWorld teacher and applied in one forward pass to")
                .append(" held-out faces (world seed ").append(HeldOut.HELD_OUT_WORLD).append(", never used in training),")
                .append(" judged by the independent attribute oracle and compared with the genuine counterfactual")
                .append(" (the same face rendered with the target attribute).</p><table><tr><th>edit</th><th>faces</th>")
                .append("<th>success</th><th>preservation</th><th>PSNR outside region (dB)</th>")
                .append("<th>PSNR to genuine (dB)</th><th>PSNR to genuine, region (dB)</th><th>colour error</th>")
                .append("<th>P(target) before &rarr; after</th><th>ms/image batch 1</th><th>ms/image batch 32</th>")
                .append("<th>selected t</th><th>distillation (s)</th></tr>");
        for (Demo.EditResult r : results) {
            EditMetrics mt = r.metrics();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f%%</td><td>%.1f%%</td><td>%.1f</td>"
                    + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.3f &rarr; %.3f</td><td>%.2f</td><td>%.2f</td>"
                    + "<td>%s</td><td>%.0f</td></tr>", r.edit().name(), mt.count(), 100 * mt.success(),
                    100 * mt.preservation(), mt.psnrOutside(), r.realism().psnrWhole(), r.realism().psnrRegion(),
                    r.realism().meanColourError(), mt.targetScoreBefore(), mt.targetScore(), r.msPerImageBatch1(),
                    r.msPerImageBatch32(), r.selection().selected(), r.distillSeconds()));
        }
        h.append("</table>");
        h.append("<p>The editor bundle is <code>").append(out.resolve("editor").toAbsolutePath())
                .append("</code>. Try it on your own picture: <code>./sdd edit --editor ")
                .append(out.resolve("editor")).append(" --edit smiling face.png --out edited/</code></p>");
        for (Demo.EditResult r : results) {
            String slug = r.edit().name().replace(' ', '-');
            h.append("<h2>").append(r.edit().name()).append(": \"").append(r.edit().prompt()).append("\"</h2>")
                    .append("<p>Rows: held-out inputs; SDD edits; the genuine counterfactuals; SDEdit (strength ")
                    .append(Demo.SDEDIT_STRENGTH).append(").</p>")
                    .append("<img src=\"compare-").append(slug).append(".png\">")
                    .append("<h3>At the user's resolution</h3><table><tr><th>size</th><th>put back by</th>")
                    .append("<th>success (downsampled)</th><th>PSNR to genuine, region (dB)</th>")
                    .append("<th>PSNR to the input outside the region (dB)</th>")
                    .append("<th>original ").append(r.edit().region()).append(" still visible</th>")
                    .append("<th>eyes changed (below 30 dB)</th></tr>");
            for (ResolutionCheck.Row row : r.sizes()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%.1f%%</td><td>%.1f</td>"
                        + "<td>%.1f</td><td>%.1f%%</td><td>%s</td></tr>", row.size(), row.mode(), 100 * row.success(),
                        row.realism().psnrRegion(), row.psnrOutside(), 100 * row.originalKept(),
                        ResolutionCheck.percent(row.eyesChanged())));
            }
            h.append("</table><p>The editor puts this edit back by ").append(r.putBack()).append(". Rows: inputs at")
                    .append(" 128x128; the edits put back in each way, in the table's order; genuine counterfactuals.</p>")
                    .append("<img src=\"resolution-").append(slug).append("-128.png\">")
                    .append("<h3>Timestep search</h3><img src=\"hqs-").append(slug).append(".png\">")
                    .append("<h3>Training curves</h3><img src=\"loss-").append(slug).append(".png\">")
                    .append("<p>Preservation per attribute: ");
            for (int k = 0; k < FaceAttributes.HEADS.size(); k++) {
                double v = r.metrics().perAttributePreservation()[k];
                if (!Double.isNaN(v)) {
                    h.append(String.format(Locale.ROOT, "%s %.1f%%; ", FaceAttributes.HEADS.get(k), 100 * v));
                }
            }
            h.append("</p><p>Success by original ").append(FaceAttributes.HEADS.get(r.edit().head())).append(": ")
                    .append(r.metrics().successBySourceText()).append("</p>");
            org.sdd4j.core.eval.AlreadyShown a = r.alreadyShown();
            h.append(String.format(Locale.ROOT, "<p>On %d held-out faces that already show the target (they should come"
                    + " back as they were): PSNR to the input %.1f dB, changed (below %.0f dB) %.1f%%, still judged %s"
                    + " %.1f%%.</p>", a.count(), a.psnrToInput(), org.sdd4j.core.eval.AlreadyShown.CHANGED_BELOW_DB,
                    100 * a.changed(), r.edit().name(), 100 * a.stillTarget()));
        }
        h.append("</body></html>\n");
        AtomicFiles.write(out.resolve("index.html"), h.toString().getBytes(StandardCharsets.UTF_8));
    }
}
