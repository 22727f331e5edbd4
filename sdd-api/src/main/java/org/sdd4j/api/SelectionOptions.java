package org.sdd4j.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of the HQS timestep search.
 *
 * @param candidates timesteps to score; default 100, 150, ..., 900
 * @param rule how to select; default {@link SelectionRule.Threshold} with xi = 0.5
 * @param sds gradient options; default {@link SdsOptions#defaults()} without top-k, since the
 *     scores are computed on the dense gradient map
 * @param noiseDraws noise samples per image and timestep, averaged; default 2
 * @param batchSize how many (image, timestep) pairs go into one teacher call; default 64
 * @param seed seed of the noise
 * @param negativePrompt the prompt guidance moves away from, as in the distillation the search is for
 */
public record SelectionOptions(List<Integer> candidates, SelectionRule rule, SdsOptions sds, int noiseDraws,
        int batchSize, long seed, String negativePrompt) {

    /** Validates and copies. */
    public SelectionOptions {
        candidates = List.copyOf(candidates);
        if (candidates.size() < 2) {
            throw new IllegalArgumentException("HQS needs at least two candidate timesteps to normalise over, got "
                    + candidates);
        }
        if (noiseDraws < 1 || batchSize < 1) {
            throw new IllegalArgumentException("noiseDraws and batchSize must be >= 1");
        }
        if (negativePrompt == null) {
            negativePrompt = "";
        }
    }

    /** Options without a negative prompt. */
    public SelectionOptions(List<Integer> candidates, SelectionRule rule, SdsOptions sds, int noiseDraws, int batchSize,
            long seed) {
        this(candidates, rule, sds, noiseDraws, batchSize, seed, "");
    }

    /**
     * A copy that scores timesteps under exactly the guidance a distillation will use: its objective,
     * scale, weighting, noise, source prompt and negative prompt. Only top-k is left off, because the
     * scores are computed on the dense gradient map.
     *
     * @param negative the distillation's negative prompt
     * @param distillation the distillation's gradient options
     * @return the options
     */
    public SelectionOptions withGuidanceOf(String negative, SdsOptions distillation) {
        return new SelectionOptions(candidates, rule, distillation.withTopKFraction(0), noiseDraws, batchSize, seed,
                negative);
    }

    /** t = from, from+step, ..., to. */
    public static List<Integer> range(int from, int to, int step) {
        List<Integer> ts = new ArrayList<>();
        for (int t = from; t <= to; t += step) {
            ts.add(t);
        }
        return ts;
    }

    /** The defaults described above. */
    public static SelectionOptions defaults() {
        return new SelectionOptions(range(100, 900, 50), SelectionRule.threshold(0.5),
                SdsOptions.defaults().withTopKFraction(0), 2, 64, 0L);
    }

    /** A copy with another rule. */
    public SelectionOptions withRule(SelectionRule r) {
        return new SelectionOptions(candidates, r, sds, noiseDraws, batchSize, seed, negativePrompt);
    }

    /** A copy with other candidates. */
    public SelectionOptions withCandidates(List<Integer> c) {
        return new SelectionOptions(c, rule, sds, noiseDraws, batchSize, seed, negativePrompt);
    }

    /** A copy with other gradient options. */
    public SelectionOptions withSds(SdsOptions s) {
        return new SelectionOptions(candidates, rule, s, noiseDraws, batchSize, seed, negativePrompt);
    }

    /** A copy with another seed. */
    public SelectionOptions withSeed(long s) {
        return new SelectionOptions(candidates, rule, sds, noiseDraws, batchSize, s, negativePrompt);
    }
}
