package org.sdd4j.core.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.SdsOptions;
import org.sdd4j.core.schedule.NoiseMath;

/**
 * The score-distillation (SDS) gradient, the one place it is computed (DreamFusion, Poole et al.
 * 2022, eq. 3; SDD's released code, {@code train.py}: grad = w(t) (noise_pred - noise) with
 * w = 1 - alphas_cumprod[t], then top-k of |grad|).
 */
public final class ScoreDistillation {

    private ScoreDistillation() {}

    /** w(t) of the chosen weighting. */
    public static double weight(NoiseSchedule s, int t, org.sdd4j.api.SdsWeighting w) {
        double a = s.alphaBar(t);
        return switch (w) {
            case ONE_MINUS_ALPHA_BAR -> 1 - a;
            case SQRT_ALPHA_BAR_TIMES_ONE_MINUS_ALPHA_BAR -> Math.sqrt(a) * (1 - a);
            case CONSTANT -> 1;
        };
    }

    /**
     * The SDS gradient g = w(t) (eps_hat(x_t, t, c) - eps) for the images y (not differentiated: the
     * teacher's Jacobian is skipped), x_t = sqrt(abar) y + sqrt(1 - abar) eps.
     *
     * @param teacher the frozen teacher
     * @param c the encoded prompt
     * @param images y, shape (B, C, H, W) of the teacher's space
     * @param t one timestep per image
     * @param o guidance scale, weighting, top-k and noise options
     * @param random the noise source (one Gaussian draw per entry)
     * @return g, same shape, attached to the images' manager
     */
    public static NDArray gradient(DiffusionTeacher teacher, Conditioning c, NDArray images, int[] t, SdsOptions o,
            SplittableRandom random) {
        GuidanceSetup setup = new GuidanceSetup(GuidanceObjective.SDS, c.prompt(), c.negativePrompt(), "",
                o.guidanceScale(), o.weighting(), o.zeroNoise());
        return gradient(teacher, new GuidanceSetup.Encoded(setup, c, null, null, null), images, images, t,
                o.topKFraction(), random);
    }

    /**
     * The guidance gradient on the edited images under the setup's objective (see {@link GuidanceObjective}),
     * weighted by w(t) and optionally kept to its top-k entries per sample.
     *
     * @param teacher the frozen teacher
     * @param c the encoded prompts of the setup
     * @param edited y' = f(y), shape (B, C, H, W) of the teacher's space (not differentiated)
     * @param source the unedited images y (used by DDS), same shape
     * @param t one timestep per image
     * @param topKFraction fraction of entries kept per sample (0: all)
     * @param random the noise source (one Gaussian draw per entry, shared by both DDS branches)
     * @return g, same shape, attached to the edited images' manager
     */
    public static NDArray gradient(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray edited, NDArray source,
            int[] t, double topKFraction, SplittableRandom random) {
        NDManager m = edited.getManager();
        Shape shape = edited.getShape();
        NDArray eps = c.setup().zeroNoise() ? m.zeros(shape, edited.getDataType()) : Noise.gaussian(m, shape, random);
        return gradient(teacher, c, edited, source, t, topKFraction, eps);
    }

    /**
     * {@link #gradient(DiffusionTeacher, GuidanceSetup.Encoded, NDArray, NDArray, int[], double, SplittableRandom)}
     * with the noise given.
     *
     * @param eps the noise, same shape as the edited images
     */
    public static NDArray gradient(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray edited, NDArray source,
            int[] t, double topKFraction, NDArray eps) {
        GuidanceSetup g = c.setup();
        NDManager m = edited.getManager();
        NDArray y = edited.stopGradient();
        NDArray xt = NoiseMath.addNoise(teacher.schedule(), y, eps, t);
        // one scale per sample (two-scale guidance: a lower one at low noise), and a gain that evens them out
        SdsOptions scales = g.scales();
        float[] s = new float[t.length];
        float[] w = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            s[i] = scales.scaleAt(t[i]);
            w[i] = (float) weight(teacher.schedule(), t[i], g.weighting()) * scales.gainAt(t[i]);
        }
        NDArray direction = switch (g.objective()) {
            case SDS -> sds(teacher, c, xt, eps, t, s);
            case DDS -> dds(teacher, c, xt, NoiseMath.addNoise(teacher.schedule(), source.stopGradient(), eps, t), t, s);
            case NFSD -> nfsd(teacher, c, xt, t, s);
        };
        NDArray grad = direction.mul(NoiseMath.perSample(w, m, y.getShape().dimension()));
        return topKFraction > 0 ? keepTopK(grad, topK(y.getShape(), topKFraction)) : grad;
    }

    /**
     * The guidance gradient with respect to the pixels of the images: formed in the teacher's space and
     * pulled back through {@link DiffusionTeacher#toTeacherSpace} (for a pixel teacher, the gradient
     * itself). What the timestep search scores, as the paper's code does, in image space.
     *
     * @param images y, shape (B, 3, imageSize, imageSize) (also the DDS source)
     * @return dL/dy of the surrogate sum(g * toTeacherSpace(y)), same shape as the images
     */
    public static NDArray pixelGradient(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray images, int[] t,
            double topKFraction, SplittableRandom random) {
        NDArray x = images.duplicate();
        x.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = images.getManager().getEngine().newGradientCollector()) {
            NDArray z = teacher.toTeacherSpace(x);
            NDArray g = gradient(teacher, c, z, z, t, topKFraction, random);
            gc.backward(surrogateLoss(g, z));
        }
        return x.getGradient().duplicate();
    }

    /** SDS (DreamFusion eq. 3): eps_hat(x_t'; c) - eps. */
    private static NDArray sds(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray xt, NDArray eps, int[] t,
            float[] s) {
        return Guidance.predictNoise(teacher, xt, t, c.target(), s).sub(eps);
    }

    /** DDS (Hertz et al. 2023, eq. 6): eps_hat(x_t'; target) - eps_hat(x_t; source), same noise and t. */
    private static NDArray dds(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray xtEdited,
            NDArray xtSource, int[] t, float[] s) {
        return Guidance.predictNoise(teacher, xtEdited, t, c.target(), s)
                .sub(Guidance.predictNoise(teacher, xtSource, t, c.source(), s));
    }

    /**
     * NFSD (Katzir et al. 2024, eq. 7-8): delta_D + s delta_C = eps_hat(x_t'; c vs empty) - [t >= 200]
     * eps(x_t'; negative), the negative prompt being the empty one when none is given.
     */
    private static NDArray nfsd(DiffusionTeacher teacher, GuidanceSetup.Encoded c, NDArray xt, int[] t, float[] s) {
        NDArray guided = Guidance.predictNoise(teacher, xt, t, c.plain(), s);
        NDArray negative = Guidance.predictNoise(teacher, xt, t, c.negative(), 1f);
        float[] late = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            late[i] = t[i] >= GuidanceSetup.NFSD_SWITCH ? 1f : 0f;
        }
        return guided.sub(negative.mul(NoiseMath.perSample(late, xt.getManager(), xt.getShape().dimension())));
    }

    /** k for one sample: round(fraction * C*H*W), at least 1. */
    public static int topK(Shape shape, double fraction) {
        long perSample = shape.size() / shape.get(0);
        return (int) Math.max(1, Math.round(fraction * perSample));
    }

    /**
     * Keeps, per sample, exactly the k entries of largest |g| (ties broken by position) and zeroes the
     * rest. Done on the host: it is cheap at these sizes and not every engine has topK.
     */
    public static NDArray keepTopK(NDArray g, int k) {
        Shape s = g.getShape();
        int b = (int) s.get(0);
        int n = (int) (s.size() / b);
        if (k >= n) {
            return g;
        }
        float[] v = g.toFloatArray();
        float[] out = new float[v.length];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < b; i++) {
            int off = i * n;
            for (int j = 0; j < n; j++) {
                idx[j] = j;
            }
            Arrays.sort(idx, (p, q) -> {
                int c = Float.compare(Math.abs(v[off + q]), Math.abs(v[off + p]));
                return c != 0 ? c : Integer.compare(p, q);
            });
            for (int j = 0; j < k; j++) {
                out[off + idx[j]] = v[off + idx[j]];
            }
        }
        return g.getManager().create(out, s);
    }

    /**
     * The surrogate whose gradient with respect to {@code output} is exactly {@code g}:
     * sum(stopgrad(g) * output). Add it to the other losses inside a gradient collector.
     */
    public static NDArray surrogateLoss(NDArray g, NDArray output) {
        return g.stopGradient().mul(output).sum();
    }
}
