package org.sdd4j.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sdd4j.api.TrainingData;

/**
 * Draws training examples with the captions' frequencies flattened: a caption with n images is drawn in
 * proportion to n^(1 - balance), then one of its images uniformly. Balance 0 draws every image equally often
 * (the data's own frequencies; then the captions are never read), 1 every caption equally often. On a folder
 * where one caption has 60% of the images, the rare captions otherwise get too few steps to be learned.
 */
public final class CaptionSampler {

    private final int size;
    private final int[][] groups;
    private final double[] cumulative;
    private final List<String> captions;

    private CaptionSampler(int size, int[][] groups, double[] cumulative, List<String> captions) {
        this.size = size;
        this.groups = groups;
        this.cumulative = cumulative;
        this.captions = captions;
    }

    /**
     * A sampler over a data source.
     *
     * @param data the examples (their captions are read once when balance &gt; 0)
     * @param balance in [0, 1]
     * @return the sampler
     */
    public static CaptionSampler of(TrainingData data, double balance) {
        if (!(balance >= 0 && balance <= 1)) {
            throw new IllegalArgumentException("caption balance must be in [0, 1], got " + balance);
        }
        if (data.size() < 1) {
            throw new IllegalArgumentException("no training examples in " + data.describe());
        }
        if (balance == 0) {
            return new CaptionSampler(data.size(), null, null, List.of());
        }
        Map<String, List<Integer>> byCaption = new LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            byCaption.computeIfAbsent(data.caption(i), k -> new ArrayList<>()).add(i);
        }
        int[][] groups = new int[byCaption.size()][];
        double[] cumulative = new double[groups.length];
        double total = 0;
        int g = 0;
        for (List<Integer> members : byCaption.values()) {
            groups[g] = members.stream().mapToInt(Integer::intValue).toArray();
            total += Math.pow(members.size(), 1 - balance);
            cumulative[g++] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
        return new CaptionSampler(data.size(), groups, cumulative, List.copyOf(byCaption.keySet()));
    }

    /** The next example's index. */
    public int next(SplittableRandom r) {
        if (groups == null) {
            return r.nextInt(size);
        }
        double u = r.nextDouble();
        int g = 0;
        while (g < cumulative.length - 1 && u >= cumulative[g]) {
            g++;
        }
        return groups[g][r.nextInt(groups[g].length)];
    }

    /** The probability that the next example has this caption (for reports and tests). */
    public double probability(String caption) {
        if (groups == null) {
            throw new IllegalStateException("balance 0 draws images, not captions");
        }
        int g = captions.indexOf(caption);
        if (g < 0) {
            return 0;
        }
        return cumulative[g] - (g == 0 ? 0 : cumulative[g - 1]);
    }
}
