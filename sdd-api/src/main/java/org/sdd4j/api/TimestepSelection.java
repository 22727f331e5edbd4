package org.sdd4j.api;

import java.util.List;

/**
 * The result of a timestep search: every candidate's scores, the rule applied and the selected
 * timesteps. During distillation t is drawn uniformly from {@link #selected()}.
 *
 * @param prompt the prompt the gradients were computed for
 * @param scores one entry per candidate timestep, in increasing t
 * @param rule the rule that produced {@code selected}
 * @param selected the timesteps to train at, never empty
 * @param sampleCount how many images the scores were averaged over
 */
public record TimestepSelection(String prompt, List<TimestepScore> scores, SelectionRule rule,
        List<Integer> selected, int sampleCount) {

    /** Copies the lists and validates. */
    public TimestepSelection {
        scores = List.copyOf(scores);
        selected = List.copyOf(selected);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("a timestep selection must select at least one timestep");
        }
    }

    /** A selection without scores, for fixed timesteps (ablations, or a user's own choice). */
    public static TimestepSelection fixed(String prompt, List<Integer> timesteps) {
        return new TimestepSelection(prompt, List.of(), new SelectionRule.Largest(), timesteps, 0);
    }

    /** The score of a candidate, or null if it was not a candidate. */
    public TimestepScore score(int t) {
        return scores.stream().filter(s -> s.t() == t).findFirst().orElse(null);
    }
}
