package org.sdd4j.core.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.Conditioning;
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
     * g = w(t) (eps_hat(x_t, t, c) - eps) for the images y (which are not differentiated: the teacher's
     * Jacobian is skipped, as in SDS), x_t = sqrt(abar) y + sqrt(1 - abar) eps.
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
        NDManager m = images.getManager();
        NDArray y = images.stopGradient();
        NDArray eps = o.zeroNoise() ? m.zeros(y.getShape(), y.getDataType()) : Noise.gaussian(m, y.getShape(),
                random);
        NDArray xt = NoiseMath.addNoise(teacher.schedule(), y, eps, t);
        NDArray epsHat = Guidance.predictNoise(teacher, xt, t, c, o.guidanceScale());
        float[] w = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            w[i] = (float) weight(teacher.schedule(), t[i], o.weighting());
        }
        NDArray g = epsHat.sub(eps).mul(NoiseMath.perSample(w, m, y.getShape().dimension()));
        return o.topKFraction() > 0 ? keepTopK(g, topK(y.getShape(), o.topKFraction())) : g;
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
