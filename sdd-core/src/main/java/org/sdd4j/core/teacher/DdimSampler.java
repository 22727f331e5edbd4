package org.sdd4j.core.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.core.guidance.Guidance;
import org.sdd4j.core.schedule.Ddim;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;

/** Guided DDIM sampling and partial denoising with any epsilon-predicting teacher. */
public final class DdimSampler {

    private DdimSampler() {}

    /** The schedule as a discrete one, or an error naming it. */
    public static DiscreteNoiseSchedule discrete(NoiseSchedule s) {
        if (s instanceof DiscreteNoiseSchedule d) {
            return d;
        }
        throw new IllegalArgumentException("DDIM needs a discrete schedule, got " + s);
    }

    /**
     * Samples images from pure noise.
     *
     * @param teacher the teacher
     * @param c the prompt
     * @param count how many
     * @param steps DDIM steps
     * @param guidance CFG scale
     * @param seed noise seed
     * @param m manager of the result
     * @return images (count, 3, imageSize, imageSize) in about [-1, 1] (decoded for a latent teacher)
     */
    public static NDArray sample(DiffusionTeacher teacher, Conditioning c, int count, int steps, float guidance,
            long seed, NDManager m) {
        var sp = teacher.space();
        NDArray x = Noise.gaussian(m, new Shape(count, sp.channels(), sp.height(), sp.width()), new SplittableRandom(seed));
        int[] ts = Ddim.timesteps(teacher.schedule().numTimesteps(), steps);
        return teacher.toImages(denoise(teacher, c, x, ts, guidance, m));
    }

    /** Runs DDIM from x at ts[0] down to the clean sample, each step in its own scope. */
    public static NDArray denoise(DiffusionTeacher teacher, Conditioning c, NDArray x, int[] ts, float guidance,
            NDManager m) {
        DiscreteNoiseSchedule s = discrete(teacher.schedule());
        NDArray cur = x;
        int b = (int) x.getShape().get(0);
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int prev = i + 1 < ts.length ? ts[i + 1] : -1;
            try (NDManager step = m.newSubManager()) {
                NDArray in = cur.duplicate();
                in.attach(step);
                int[] tb = new int[b];
                java.util.Arrays.fill(tb, t);
                NDArray eps = Guidance.predictNoise(teacher, in, tb, c, guidance);
                NDArray next = Ddim.step(s, in, eps, t, prev, 0.0, null, teacher.space().kind().bounded());
                next.attach(m);
                if (cur != x) {
                    cur.close();
                }
                cur = next;
            }
        }
        return cur;
    }
}
