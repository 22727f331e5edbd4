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
 */
public record TeacherOptions(int steps, int batchSize, float learningRate, int width, List<Integer> multipliers,
        int embDim, String schedule, int timesteps, double captionDropout, float emaDecay, int checkpointEvery,
        int sampleEvery, long seed, double regionWeight) {

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
        if (!(regionWeight >= 0) || Double.isInfinite(regionWeight)) {
            throw new IllegalArgumentException("region weight must be finite and at least 0, got " + regionWeight);
        }
    }

    /** The defaults for the embedded 32x32 face domain. */
    public static TeacherOptions defaults() {
        return new TeacherOptions(6000, 32, 1e-3f, 32, List.of(1, 2, 2), 128, "linear", 1000, 0.1, 0.999f, 250, 1000,
                1L, 0);
    }

    /** A copy with other steps. */
    public TeacherOptions withSteps(int s) {
        return new TeacherOptions(s, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, seed, regionWeight);
    }

    /** A copy with other sizes (for tests and small machines). */
    public TeacherOptions withShape(int batch, int w, List<Integer> mult, int emb) {
        return new TeacherOptions(steps, batch, learningRate, w, mult, emb, schedule, timesteps, captionDropout,
                emaDecay, checkpointEvery, sampleEvery, seed, regionWeight);
    }

    /** A copy with other periods. */
    public TeacherOptions withPeriods(int checkpoint, int sample) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpoint, sample, seed, regionWeight);
    }

    /** A copy with another seed. */
    public TeacherOptions withSeed(long s) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, s, regionWeight);
    }

    /** A copy with another region weight. */
    public TeacherOptions withRegionWeight(double w) {
        return new TeacherOptions(steps, batchSize, learningRate, width, multipliers, embDim, schedule, timesteps,
                captionDropout, emaDecay, checkpointEvery, sampleEvery, seed, w);
    }
}
