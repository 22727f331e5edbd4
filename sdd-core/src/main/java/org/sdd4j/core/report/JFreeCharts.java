package org.sdd4j.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sdd4j.core.io.AtomicFiles;

/** The JFreeChart side of {@link Plots}; loaded only when JFreeChart is on the class path. */
final class JFreeCharts {

    private JFreeCharts() {}

    /**
     * A line chart of named series.
     *
     * @param png the file to write
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param series name to {xs, ys}
     * @param logY logarithmic y axis
     */
    static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logY) {
        write(png, chart(title, xLabel, yLabel, series, logY, false));
    }

    /** A scatter chart of named point sets ({xs, ys}), with a label per series. */
    static void scatter(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        write(png, chart(title, xLabel, yLabel, series, false, true));
    }

    private static JFreeChart chart(String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logY, boolean points) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] xs = e.getValue()[0];
            double[] ys = e.getValue()[1];
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i]) && (!logY || ys[i] > 0)) {
                    s.add(xs[i], ys[i]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(!points, points);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        if (logY) {
            org.jfree.chart.axis.LogAxis axis = new org.jfree.chart.axis.LogAxis(yLabel);
            axis.setSmallestValue(1e-6);
            plot.setRangeAxis(axis);
        } else {
            ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        return chart;
    }

    private static void write(Path png, JFreeChart chart) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(buf, chart, 800, 480);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(png, buf.toByteArray());
    }
}
