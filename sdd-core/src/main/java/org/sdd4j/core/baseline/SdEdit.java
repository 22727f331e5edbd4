package org.sdd4j.core.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.schedule.Ddim;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;
import org.sdd4j.core.schedule.NoiseMath;
import org.sdd4j.core.teacher.DdimSampler;

/**
 * SDEdit (Meng et al. 2022), the "add noise, then denoise" baseline, with any pixel-space teacher:
 * the input is noised to t = round(s * T) and denoised with guided DDIM under the edit prompt. Small
 * strengths keep the input and barely edit; large strengths edit and forget the input. That
 * trade-off is what SDD claims to escape.
 */
public final class SdEdit {

    /**
     * Options.
     *
     * @param strength s in [0, 1]: the fraction of the diffusion the input is noised to (0 returns it)
     * @param steps DDIM steps over the whole [0, T) range; an edit of strength s runs about s * steps
     * @param guidance classifier-free guidance scale
     * @param seed noise seed (one stream per call, so results do not depend on batching across calls)
     */
    public record Options(double strength, int steps, float guidance, long seed) {
        /** Validates. */
        public Options {
            if (!(strength >= 0 && strength <= 1)) {
                throw new IllegalArgumentException("SDEdit strength must be in [0, 1], got " + strength);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("SDEdit needs at least one DDIM step, got " + steps);
            }
        }

        /** Strength 0.6, 50 DDIM steps, CFG 7.5, seed 0. */
        public static Options defaults() {
            return new Options(0.6, 50, 7.5f, 0L);
        }

        /** A copy with another strength. */
        public Options withStrength(double s) {
            return new Options(s, steps, guidance, seed);
        }

        /** A copy with other DDIM steps. */
        public Options withSteps(int n) {
            return new Options(strength, n, guidance, seed);
        }
    }

    private final DiffusionTeacher teacher;

    /** An SDEdit baseline over any teacher (latent teachers: encode, noise, DDIM in latent space, decode). */
    public SdEdit(DiffusionTeacher teacher) {
        this.teacher = teacher;
    }

    /** The timestep an edit of this strength starts from: round(s * T), at most T - 1; 0 means no edit. */
    public int startTimestep(double strength) {
        int n = teacher.schedule().numTimesteps();
        return (int) Math.min(n - 1, Math.round(strength * n));
    }

    /**
     * The DDIM timesteps an edit runs through, highest first: the points of the {@code steps} grid at or
     * below round(s * T), so the input is noised to the first of them (about s * steps of them; empty
     * for strength 0).
     */
    public int[] timesteps(Options o) {
        int start = startTimestep(o.strength());
        if (start == 0) {
            return new int[0];
        }
        int[] grid = Arrays.stream(Ddim.timesteps(teacher.schedule().numTimesteps(), o.steps()))
                .filter(t -> t <= start).toArray();
        return grid.length > 0 ? grid : new int[] {start};
    }

    /**
     * Edits a batch in the teacher's space.
     *
     * @param x0 (B, C, H, W) in [-1, 1]
     * @param c the prompt (and negative prompt) to denoise under
     * @param o options
     * @param m manager of the result
     * @return the edited batch (a copy of x0 for strength 0)
     */
    public NDArray edit(NDArray x0, Conditioning c, Options o, NDManager m) {
        int[] ts = timesteps(o);
        if (ts.length == 0) {
            NDArray copy = x0.duplicate();
            copy.attach(m);
            return copy;
        }
        DiscreteNoiseSchedule s = DdimSampler.discrete(teacher.schedule());
        int b = (int) x0.getShape().get(0);
        try (NDManager scope = m.newSubManager()) {
            NDArray eps = Noise.gaussian(scope, x0.getShape(), new SplittableRandom(o.seed()));
            int[] tb = new int[b];
            Arrays.fill(tb, ts[0]);
            NDArray xt = NoiseMath.addNoise(s, x0, eps, tb);
            NDArray out = DdimSampler.denoise(teacher, c, xt, ts, o.guidance(), scope);
            out.attach(m);
            return out;
        }
    }

    /**
     * Edits images (resized to the teacher's resolution), in batches.
     *
     * @param images inputs
     * @param prompt the edit prompt
     * @param negativePrompt the negative prompt, or empty for the empty prompt
     * @param o options
     * @param batchSize images per teacher call
     * @param m manager for the computation
     * @return edited images at the teacher's resolution
     */
    public List<BufferedImage> edit(List<BufferedImage> images, String prompt, String negativePrompt, Options o,
            int batchSize, NDManager m) {
        int res = teacher.imageSize();
        List<BufferedImage> out = new ArrayList<>(images.size());
        try (NDManager scope = m.newSubManager();
                Conditioning c = teacher.encode(prompt, negativePrompt, scope)) {
            for (int from = 0; from < images.size(); from += batchSize) {
                try (NDManager batch = scope.newSubManager()) {
                    NDArray x = ImageTensors.batch(images.subList(from, Math.min(images.size(), from + batchSize)),
                            res, batch);
                    Options per = new Options(o.strength(), o.steps(), o.guidance(), o.seed() * 1_000_003L + from);
                    NDArray x0 = teacher.toTeacherSpace(x);
                    out.addAll(ImageTensors.toImages(teacher.toImages(edit(x0, c, per, batch))));
                }
            }
        }
        return out;
    }
}
