package org.sdd4j.api;

import java.util.Map;

/**
 * One step of a long training run, as reported to a {@link ProgressListener}.
 *
 * @param step steps completed so far (1-based)
 * @param totalSteps steps of the whole run
 * @param losses named loss values of this step, for example {@code sds}, {@code pixel}
 * @param stepsPerSecond recent throughput
 */
public record TrainingProgress(int step, int totalSteps, Map<String, Double> losses, double stepsPerSecond) {
    /** Copies the losses. */
    public TrainingProgress {
        losses = Map.copyOf(losses);
    }
}
