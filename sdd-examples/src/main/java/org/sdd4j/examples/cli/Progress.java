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

    private final ProgressBar bar;

    Progress(String task, long total) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    @Override
    public void onStep(TrainingProgress p) {
        bar.stepTo(p.step());
        String losses = p.losses().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(" "));
        bar.setExtraMessage(String.format(" %s %.2f it/s", losses, p.stepsPerSecond()));
    }

    private static String format(double v) {
        return Math.abs(v) >= 0.01 || v == 0 ? String.format("%.4f", v) : String.format("%.2e", v);
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
