package org.sdd4j.examples.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdd4j.api.TimestepScore;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.report.Plots;

/** Tables and plots shared by the commands and the demo report. */
public final class Reports {

    private Reports() {}

    /** Closes a progress listener that holds resources (a terminal progress bar); others are left alone. */
    public static void close(Object listener) {
        if (listener instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // a progress bar that fails to close loses nothing
            }
        }
    }

    /** The HQS table as text, one row per candidate, the selected ones marked. */
    public static String hqsTable(TimestepSelection s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("HQS for \"%s\" over %d images, rule %s, selected %s%n", s.prompt(), s.sampleCount(),
                s.rule(), s.selected()));
        sb.append(String.format("%6s %12s %12s %8s %8s %8s %8s %12s%n", "t", "entropy", "L1 norm", "Hn", "Nn", "HQS",
                "+-std", "chan-ent"));
        for (TimestepScore x : s.scores()) {
            sb.append(String.format("%6d %12.6f %12.2f %8.3f %8.3f %8.3f %8.3f %12.6f%s%n", x.t(), x.entropy(), x.norm(),
                    x.entropyNormalized(), x.normNormalized(), x.hqs(), x.hqsStd(), x.channelMeanEntropy(),
                    s.selected().contains(x.t()) ? "  <" : ""));
        }
        return sb.toString();
    }

    /** A PNG of Hn, Nn and HQS against t. */
    public static void hqsPlot(TimestepSelection s, Path png) {
        List<TimestepScore> sc = s.scores();
        double[] t = sc.stream().mapToDouble(TimestepScore::t).toArray();
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("normalised entropy Hn", new double[][] {t, sc.stream().mapToDouble(TimestepScore::entropyNormalized)
                .toArray()});
        series.put("normalised L1 norm Nn", new double[][] {t, sc.stream().mapToDouble(TimestepScore::normNormalized)
                .toArray()});
        series.put("HQS = Nn - Hn", new double[][] {t, sc.stream().mapToDouble(TimestepScore::hqs).toArray()});
        Plots.lines(png, "Hybrid Quality Score: \"" + s.prompt() + "\" (selected " + s.selected() + ")", "timestep t",
                "score", series, false);
    }
}
