package org.sdd4j.core.teacher;

import org.sdd4j.api.LearningRate;

import java.util.List;

/**
 * Options of teacher training. Defaults were chosen by measurement on a 2-core CPU for 32x32
 * FaceWorld faces (see README, "The embedded teacher").
 *
 * @param steps optimisation steps
 * @param batchSize images per step
 * @param learningRate AdamW learning rate
 * @param width U-Net base channels
 * @param multipliers U-Net channel multipliers per level
 * @param embDim time and text embedding width
 * @param schedule noise schedule name
 * @param timesteps T
 * @param captionDropout probability of training on the empty caption (classifier-free guidance)
 * @param emaDecay decay of the weight average that becomes the teacher
 * @param checkpointEvery checkpoint period in steps
 * @param sampleEvery sample-grid period in steps (0 = never)
 * @param seed seed of initialisation, data order, timesteps and noise
 * @param regionWeight extra loss weight on the pixels a data source marks as small but important
 *     (FaceWorld: mouth, eyes and glasses); the per-pixel weight is {@code 1 + regionWeight} there and
 *     1 elsewhere, normalised to mean 1. 0 turns it off; sources without such masks ignore it
 * @param lrSchedule {@code constant}, or {@code cosine}: a linear warm-up over the first 5% of the steps
 *     (at most 200) from a tenth of the learning rate, then a cosine decay to a tenth of it at the last step
 * @param captionBalance how training examples are drawn: 0 = every image equally often (the data's own
 *     caption frequencies), 1 = every caption equally often, in between = a caption with n images is drawn
 *     in proportion to n^(1 - captionBalance)
 */
public record TeacherOptions(int steps, int batchSize, float learningRate, int width, List<Integer> multipliers,
        int embDim, String schedule, int timesteps, double captionDropout, float emaDecay, int checkpointEvery,
        int sampleEvery, long seed, double regionWeight, String lrSchedule, double captionBalance) {

    /** Validates. */
    public TeacherOptions {
        multipliers = List.copyOf(multipliers);
        if (steps < 1 || batchSize < 1 || width < 1 || embDim < 2 || timesteps < 2) {
            throw new IllegalArgumentException("steps, batch size, width, embedding width and timesteps must be positive");
        }
        LearningRate.check(learningRate, "teacher");
        if (!(captionDropout >= 0 && captionDropout < 1)) {
            throw new IllegalArgumentException("caption dropout must be in [0, 1), got " + captionDropout);
        }
        if (!LR_SCHEDULES.contains(lrSchedule)) {
            throw new IllegalArgumentException("unknown learning-rate schedule '" + lrSchedule + "'; use one of "
                    + LR_SCHEDULES);
        }
        if (!(captionBalance >= 0 && captionBalance <= 1)) {
            throw new IllegalArgumentException("caption balance must be in [0, 1], got " + captionBalance);
        }
        if (!(regionWeight >= 0) || Double.isInfinite(regionWeight)) {
            throw new IllegalArgumentException("region weight must be finite and at least 0, got " + regionWeight);
        }
    }

    /** The learning-rate schedules. */
    public static final List<String> LR_SCHEDULES = List.of("constant", "cosine");

    /** The defaults for the embedded 32x32 face domain. */
    public static TeacherOptions defaults() {
        return new TeacherOptions(6000, 32, 1e-3f, 32, List.of(1, 2, 2), 128, "linear", 1000, 0.1, 0.999f, 250, 1000,
                1L, 0, "constant", 0);
    }

    /**
     * The defaults for a user's captioned folder, measured on a public set of 3,781 emoji pictures in nine
     * categories (README, "Your own images"): 2,800 steps of 24 at a peak learning rate of 0.0025 with the
     * cosine schedule, captions drawn in proportion to the square root of their counts; about 50 minutes on
     * 2 CPU cores at 32 px.
     */
    public static TeacherOptions folderDefaults() {
        TeacherOptions d = defaults();
        return new TeacherOptions(2800, 24, 0.0025f, d.width, d.multipliers, d.embDim, d.schedule, d.timesteps,
                d.captionDropout, d.emaDecay, d.checkpointEvery, d.sampleEvery, d.seed, 0, "cosine", 0.5);
    }

    /** A copy with other steps. */
    public TeacherOptions withSteps(int s) {
        return new TeacherOptions(s, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, seed, regionWeight, lrSchedule, captionBalance);
    }

    /** A copy with other sizes (for tests and small machines). */
    public TeacherOptions withShape(int batch, int w, List<Integer> mult, int emb) {
        return new TeacherOptions(steps, batch, learningRate, w, mult, emb, schedule, timesteps, captionDropout,
                emaDecay, checkpointEvery, sampleEvery, seed, regionWeight, lrSchedule, captionBalance);
    }

    /** A copy with other periods. */
    public TeacherOptions withPeriods(int checkpoint, int sample) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpoint, sample, seed, regionWeight, lrSchedule, captionBalance);
    }

    /** A copy with another seed. */
    public TeacherOptions withSeed(long s) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, s, regionWeight, lrSchedule, captionBalance);
    }

    /** A copy with another region weight. */
    public TeacherOptions withRegionWeight(double w) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, seed, w, lrSchedule, captionBalance);
    }

    /** A copy with another learning-rate schedule and caption balance. */
    public TeacherOptions withRecipe(String lrs, double balance) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, seed, regionWeight, lrs, balance);
    }

    /**
     * The learning rate at a step (1-based) under {@link #lrSchedule()}.
     *
     * @param step the step about to be taken, 1..steps
     * @return the rate for it
     */
    public float learningRateAt(int step) {
        if (lrSchedule.equals("constant")) {
            return learningRate;
        }
        int warm = Math.max(1, Math.min(200, steps / 20));
        double lo = 0.1;
        if (step <= warm) {
            return (float) (learningRate * (lo + (1 - lo) * step / warm));
        }
        double progress = Math.min(1.0, (step - warm) / (double) Math.max(1, steps - warm));
        return (float) (learningRate * (lo + (1 - lo) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}
