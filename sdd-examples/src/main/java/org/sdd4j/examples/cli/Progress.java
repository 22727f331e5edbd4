package org.sdd4j.examples.cli;

import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingProgress;

/** A terminal progress bar (loss, steps/s, ETA) fed by a {@link ProgressListener}. */
final class Progress implements ProgressListener, AutoCloseable {

    /** Steps timed before the estimate of the whole run is printed. */
    static final int ESTIMATE_AFTER = 10;

    private final ProgressBar bar;
    private final long total;
    private final String task;
    private long firstStep = -1;
    private long firstNanos;

    Progress(String task, long total) {
        this.total = total;
        this.task = task;
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    @Override
    public void onStep(TrainingProgress p) {
        if (firstStep < 0) {
            firstStep = p.step();
            firstNanos = System.nanoTime();
        } else if (p.step() - firstStep == ESTIMATE_AFTER && total > p.step()) {
            double perStep = (System.nanoTime() - firstNanos) / 1e9 / ESTIMATE_AFTER;
            System.err.println();
            System.err.println(estimate(task, total - p.step(), perStep));
        }
        bar.stepTo(p.step());
        String losses = p.losses().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(" "));
        bar.setExtraMessage(String.format(" %s %.2f it/s", losses, p.stepsPerSecond()));
    }

    private static String format(double v) {
        return Math.abs(v) >= 0.01 || v == 0 ? String.format("%.4f", v) : String.format("%.2e", v);
    }

    /** The line printed once the first steps are timed. */
    static String estimate(String task, long remaining, double secondsPerStep) {
        double minutes = remaining * secondsPerStep / 60;
        return String.format(java.util.Locale.ROOT, "%s: about %s for the remaining %d steps (%.2f s per step over"
                + " the first %d)", task, minutes < 1 ? String.format(java.util.Locale.ROOT, "%.0f s", minutes * 60)
                : minutes < 120 ? String.format(java.util.Locale.ROOT, "%.0f min", minutes)
                : String.format(java.util.Locale.ROOT, "%.1f h", minutes / 60), remaining, secondsPerStep,
                ESTIMATE_AFTER);
    }

    /** Advances by one unit of work (for non-training loops). */
    void step() {
        bar.step();
    }

    @Override
    public void onMessage(String message) {
        System.err.println();
        System.err.println(message);
    }

    @Override
    public void close() {
        bar.close();
    }
}
