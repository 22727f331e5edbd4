package org.sdd4j.core.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;

/**
 * The forward-process arithmetic on batches, each formula once (Ho et al. 2020 eq. 4; Salimans and
 * Ho 2022 for v). Every function takes one timestep per batch element.
 */
public final class NoiseMath {

    private NoiseMath() {}

    /** sqrt(alpha-bar_t) per sample, shape (B, 1, 1, 1) (or (B, 1...) matching rank). */
    public static NDArray sqrtAlphaBar(NoiseSchedule s, int[] t, NDManager m, int rank) {
        float[] v = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = (float) Math.sqrt(s.alphaBar(t[i]));
        }
        return m.create(v, broadcastShape(t.length, rank));
    }

    /** sqrt(1 - alpha-bar_t) per sample, shape (B, 1, 1, 1). */
    public static NDArray sqrtOneMinusAlphaBar(NoiseSchedule s, int[] t, NDManager m, int rank) {
        float[] v = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = (float) Math.sqrt(1.0 - s.alphaBar(t[i]));
        }
        return m.create(v, broadcastShape(t.length, rank));
    }

    /** A per-sample scalar column of shape (B, 1, ..., 1). */
    public static NDArray perSample(float[] values, NDManager m, int rank) {
        return m.create(values, broadcastShape(values.length, rank));
    }

    private static Shape broadcastShape(int batch, int rank) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1);
        dims[0] = batch;
        return new Shape(dims);
    }

    private static void checkBatch(NDArray x, int[] t) {
        if (x.getShape().get(0) != t.length) {
            throw new IllegalArgumentException("batch of " + x.getShape().get(0) + " samples but " + t.length
                    + " timesteps");
        }
    }

    /** q(x_t | x_0): x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (DDPM eq. 4). */
    public static NDArray addNoise(NoiseSchedule s, NDArray x0, NDArray eps, int[] t) {
        checkBatch(x0, t);
        NDManager m = x0.getManager();
        int r = x0.getShape().dimension();
        return x0.mul(sqrtAlphaBar(s, t, m, r)).add(eps.mul(sqrtOneMinusAlphaBar(s, t, m, r)));
    }

    /** x0 = (x_t - sqrt(1 - abar) eps) / sqrt(abar). */
    public static NDArray x0FromEpsilon(NoiseSchedule s, NDArray xt, NDArray eps, int[] t) {
        checkBatch(xt, t);
        NDManager m = xt.getManager();
        int r = xt.getShape().dimension();
        return xt.sub(eps.mul(sqrtOneMinusAlphaBar(s, t, m, r))).div(sqrtAlphaBar(s, t, m, r));
    }

    /** eps = (x_t - sqrt(abar) x0) / sqrt(1 - abar). */
    public static NDArray epsilonFromX0(NoiseSchedule s, NDArray xt, NDArray x0, int[] t) {
        checkBatch(xt, t);
        NDManager m = xt.getManager();
        int r = xt.getShape().dimension();
        return xt.sub(x0.mul(sqrtAlphaBar(s, t, m, r))).div(sqrtOneMinusAlphaBar(s, t, m, r));
    }

    /** v = sqrt(abar) eps - sqrt(1 - abar) x0. */
    public static NDArray velocity(NoiseSchedule s, NDArray x0, NDArray eps, int[] t) {
        checkBatch(x0, t);
        NDManager m = x0.getManager();
        int r = x0.getShape().dimension();
        return eps.mul(sqrtAlphaBar(s, t, m, r)).sub(x0.mul(sqrtOneMinusAlphaBar(s, t, m, r)));
    }

    /** eps = sqrt(abar) v + sqrt(1 - abar) x_t. */
    public static NDArray epsilonFromVelocity(NoiseSchedule s, NDArray xt, NDArray v, int[] t) {
        checkBatch(xt, t);
        NDManager m = xt.getManager();
        int r = xt.getShape().dimension();
        return v.mul(sqrtAlphaBar(s, t, m, r)).add(xt.mul(sqrtOneMinusAlphaBar(s, t, m, r)));
    }

    /** x0 = sqrt(abar) x_t - sqrt(1 - abar) v. */
    public static NDArray x0FromVelocity(NoiseSchedule s, NDArray xt, NDArray v, int[] t) {
        checkBatch(xt, t);
        NDManager m = xt.getManager();
        int r = xt.getShape().dimension();
        return xt.mul(sqrtAlphaBar(s, t, m, r)).sub(v.mul(sqrtOneMinusAlphaBar(s, t, m, r)));
    }

    /** Any prediction converted to epsilon. */
    public static NDArray toEpsilon(NoiseSchedule s, PredictionType type, NDArray xt, NDArray prediction, int[] t) {
        return switch (type) {
            case EPSILON -> prediction;
            case V_PREDICTION -> epsilonFromVelocity(s, xt, prediction, t);
            case SAMPLE -> epsilonFromX0(s, xt, prediction, t);
        };
    }
}
