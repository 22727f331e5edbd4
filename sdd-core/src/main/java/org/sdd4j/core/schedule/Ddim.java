package org.sdd4j.core.schedule;

import ai.djl.ndarray.NDArray;
import org.sdd4j.core.nn.Ops;

/** The DDIM update (Song, Meng, Ermon 2021, eq. 12) and its timestep spacing. */
public final class Ddim {

    private Ddim() {}

    /**
     * Evenly spaced sampling timesteps, highest first, "trailing" spacing (the first one is T-1):
     * round(T - i*T/n) - 1 for i = 0..n-1.
     *
     * @param trainSteps T
     * @param samplingSteps n, 1 <= n <= T
     * @return the timesteps, decreasing
     */
    public static int[] timesteps(int trainSteps, int samplingSteps) {
        if (samplingSteps < 1 || samplingSteps > trainSteps) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + trainSteps + "], got "
                    + samplingSteps);
        }
        int[] ts = new int[samplingSteps];
        double ratio = (double) trainSteps / samplingSteps;
        for (int i = 0; i < samplingSteps; i++) {
            ts[i] = (int) Math.round(trainSteps - i * ratio) - 1;
        }
        return ts;
    }

    /**
     * One DDIM step from t to tPrev (tPrev = -1 means the clean sample, alpha-bar = 1):
     * x0 = (x_t - sqrt(1-a_t) eps)/sqrt(a_t); sigma = eta sqrt((1-a_p)/(1-a_t)) sqrt(1 - a_t/a_p);
     * x_p = sqrt(a_p) x0 + sqrt(1 - a_p - sigma^2) eps + sigma z.
     *
     * @param s the schedule
     * @param xt current samples (B, ...)
     * @param eps predicted noise, same shape
     * @param t current timestep (shared by the batch)
     * @param tPrev next (smaller) timestep, or -1
     * @param eta 0 for deterministic DDIM, 1 for DDPM-like ancestral noise
     * @param noise z, required when eta > 0 (may be null otherwise)
     * @param clipX0 clip the predicted x0 to [-1, 1]
     * @return x_{tPrev}
     */
    public static NDArray step(DiscreteNoiseSchedule s, NDArray xt, NDArray eps, int t, int tPrev, double eta,
            NDArray noise, boolean clipX0) {
        if (tPrev >= t) {
            throw new IllegalArgumentException("DDIM steps go down: tPrev " + tPrev + " >= t " + t);
        }
        double at = s.alphaBar(t);
        double ap = s.alphaBarOrOne(tPrev);
        int[] ts = new int[Math.toIntExact(xt.getShape().get(0))];
        java.util.Arrays.fill(ts, t);
        NDArray x0 = NoiseMath.x0FromEpsilon(s, xt, eps, ts);
        if (clipX0) {
            x0 = x0.clip(-1f, 1f);
        }
        double sigma = eta * Math.sqrt((1 - ap) / (1 - at)) * Math.sqrt(1 - at / ap);
        double dirCoef = Math.sqrt(Math.max(0.0, 1 - ap - sigma * sigma));
        NDArray out = Ops.mul(x0, (float) Math.sqrt(ap)).add(Ops.mul(eps, (float) dirCoef));
        if (sigma > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("eta > 0 needs a noise array");
            }
            out = out.add(Ops.mul(noise, (float) sigma));
        }
        return out;
    }
}
