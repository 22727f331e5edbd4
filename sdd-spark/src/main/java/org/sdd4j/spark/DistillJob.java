package org.sdd4j.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One edit to distil as a Spark task (the other options are the library's defaults).
 *
 * @param edit the edit's name in the merged bundle
 * @param prompt the teacher prompt, e.g. "a smiling face"
 * @param negativePrompt the prompt to guide away from ("" for the unconditional prediction)
 * @param steps distillation steps
 * @param seed the task's own seed
 * @param timesteps fixed timesteps, or null/empty for an HQS search in the task
 */
public record DistillJob(String edit, String prompt, String negativePrompt, int steps, long seed,
        List<Integer> timesteps) implements Serializable {

    /** Checks the values. */
    public DistillJob {
        Objects.requireNonNull(edit, "edit");
        Objects.requireNonNull(prompt, "prompt");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        timesteps = timesteps == null ? List.of() : List.copyOf(timesteps);
        if (steps < 1) {
            throw new IllegalArgumentException("edit '" + edit + "': steps must be at least 1, got " + steps);
        }
    }
}
