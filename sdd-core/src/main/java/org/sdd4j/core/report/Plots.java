package org.sdd4j.core.report;

import java.nio.file.Path;
import java.util.Map;

/**
 * PNG line and scatter charts, written atomically. Charts need JFreeChart, an optional dependency of
 * sdd-core: an application that only edits does not carry it, and training there simply writes no
 * curve images (the loss history is still in the manifest and the checkpoint).
 */
public final class Plots {

    private static final boolean AVAILABLE = present();

    private Plots() {}

    private static boolean present() {
        try {
            Class.forName("org.jfree.chart.JFreeChart", false, Plots.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether charts can be drawn (JFreeChart is on the class path). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * A line chart of named series; nothing is written without JFreeChart.
     *
     * @param png the file to write
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param series name to {xs, ys}
     * @param logY logarithmic y axis
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logY) {
        if (AVAILABLE) {
            JFreeCharts.lines(png, title, xLabel, yLabel, series, logY);
        }
    }

    /** A scatter chart of named point sets ({xs, ys}), with a label per series; nothing without JFreeChart. */
    public static void scatter(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        if (AVAILABLE) {
            JFreeCharts.scatter(png, title, xLabel, yLabel, series);
        }
    }

    /** Moving average with a window, for noisy loss curves. */
    public static double[] smooth(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) {
                sum -= v[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
