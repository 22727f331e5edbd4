package org.sdd4j.core.selection;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepScore;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.guidance.GuidanceSetup;
import org.sdd4j.core.guidance.ScoreDistillation;

/**
 * Scores every candidate timestep with the Hybrid Quality Score on sample images, for the untrained
 * (identity) manipulator: the gradient map of image y at t is the SDS gradient at y itself. All
 * (image, timestep, noise draw) triples are evaluated in batched teacher calls.
 */
public final class HqsSelector implements TimestepSelector {

    private final java.util.function.Supplier<NDManager> scopes;

    /** A selector computing under a manager of the backend's engine (each search in a sub-manager). */
    public HqsSelector(NDManager parent) {
        this(parent::newSubManager);
    }

    /**
     * A selector that opens a manager per search and closes it afterwards.
     *
     * @param scopes gives a new manager (a root or a sub-manager) the search then owns
     */
    public HqsSelector(java.util.function.Supplier<NDManager> scopes) {
        this.scopes = scopes;
    }

    @Override
    public TimestepSelection select(DiffusionTeacher teacher, String prompt, List<Image> samples,
            SelectionOptions options) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("HQS needs at least one sample image");
        }
        // the gradient maps are scored in image space (pulled back through a latent teacher's encoder)
        int size = teacher.imageSize();
        // with two-scale guidance the timesteps below LOW_NOISE_BELOW are added by rule, not selected: the search
        // chooses among the others, where the training guidance is the main scale
        boolean twoScale = options.sds().lowNoiseGuidance() > 0;
        int[] ts = options.candidates().stream().mapToInt(Integer::intValue)
                .filter(t -> !twoScale || t >= org.sdd4j.api.SdsOptions.LOW_NOISE_BELOW).toArray();
        if (ts.length == 0) {
            throw new IllegalArgumentException("no candidate timestep at or above " + org.sdd4j.api.SdsOptions.LOW_NOISE_BELOW
                    + " to search among (two-scale guidance adds the lower ones itself)");
        }
        for (int t : ts) {
            if (t < 0 || t >= teacher.schedule().numTimesteps()) {
                throw new IllegalArgumentException("candidate timestep " + t + " is outside [0, "
                        + teacher.schedule().numTimesteps() + ")");
            }
        }
        int n = samples.size();
        int draws = options.noiseDraws();
        double[][] h = new double[n][ts.length];
        double[][] l1 = new double[n][ts.length];
        double[][] ce = new double[n][ts.length];
        // every (image, candidate, draw) triple, in batches
        List<int[]> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < ts.length; j++) {
                for (int d = 0; d < draws; d++) {
                    jobs.add(new int[] {i, j});
                }
            }
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        try (NDManager m = scopes.get();
                GuidanceSetup.Encoded c = GuidanceSetup.forSearch(prompt, options).encode(teacher, m)) {
            NDArray all = ImageTensors.batchOfImages(samples, size, m);
            int per = 3 * size * size;
            for (int from = 0; from < jobs.size(); from += options.batchSize()) {
                List<int[]> batch = jobs.subList(from, Math.min(jobs.size(), from + options.batchSize()));
                try (NDManager step = m.newSubManager()) {
                    int[] imgIdx = batch.stream().mapToInt(b -> b[0]).toArray();
                    int[] t = batch.stream().mapToInt(b -> ts[b[1]]).toArray();
                    NDArray y = all.get(step.create(toLong(imgIdx)));
                    y.attach(step);
                    NDArray g = ScoreDistillation.pixelGradient(teacher, c, y, t, options.sds().topKFraction(), random);
                    float[] v = g.toFloatArray();
                    for (int k = 0; k < batch.size(); k++) {
                        double[] map = new double[per];
                        for (int e = 0; e < per; e++) {
                            map[e] = v[k * per + e];
                        }
                        int i = batch.get(k)[0];
                        int j = batch.get(k)[1];
                        h[i][j] += HybridQualityScore.softmaxEntropy(map) / draws;
                        l1[i][j] += HybridQualityScore.l1(map) / draws;
                        ce[i][j] += HybridQualityScore.softmaxEntropy(
                                HybridQualityScore.channelMeanAbs(map, 3)) / draws;
                    }
                }
            }
        }
        List<TimestepScore> scores = HybridQualityScore.score(ts, h, l1, ce);
        return new TimestepSelection(prompt, scores, options.rule(), HybridQualityScore.select(scores, options.rule()),
                n);
    }

    private static long[] toLong(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
