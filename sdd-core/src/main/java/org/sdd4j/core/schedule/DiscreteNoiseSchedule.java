package org.sdd4j.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import org.sdd4j.api.NoiseSchedule;

/**
 * A discrete DDPM forward process defined by its betas; alpha-bar is their cumulative product.
 * The three families below follow their published closed forms.
 */
public final class DiscreteNoiseSchedule implements NoiseSchedule {

    private final String name;
    private final double[] betas;
    private final double[] alphaBars;

    private DiscreteNoiseSchedule(String name, double[] betas) {
        this.name = name;
        this.betas = betas.clone();
        this.alphaBars = new double[betas.length];
        double prod = 1.0;
        for (int t = 0; t < betas.length; t++) {
            if (!(betas[t] > 0 && betas[t] < 1)) {
                throw new IllegalArgumentException("beta_" + t + " = " + betas[t] + " is outside (0, 1)");
            }
            prod *= 1.0 - betas[t];
            alphaBars[t] = prod;
        }
    }

    /** Betas evenly spaced from start to end (Ho et al. 2020: 1e-4 .. 0.02 over 1000 steps). */
    public static DiscreteNoiseSchedule linear(int steps, double start, double end) {
        checkSteps(steps);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = start + (end - start) * i / (steps - 1.0);
        }
        return new DiscreteNoiseSchedule("linear", b);
    }

    /** The DDPM schedule: linear, 1e-4 .. 0.02. */
    public static DiscreteNoiseSchedule linear(int steps) {
        return linear(steps, 1e-4, 0.02);
    }

    /**
     * Square roots of the betas evenly spaced (Stable Diffusion's {@code scaled_linear},
     * 0.00085 .. 0.012 over 1000 steps).
     */
    public static DiscreteNoiseSchedule scaledLinear(int steps, double start, double end) {
        checkSteps(steps);
        double s0 = Math.sqrt(start);
        double s1 = Math.sqrt(end);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double s = s0 + (s1 - s0) * i / (steps - 1.0);
            b[i] = s * s;
        }
        return new DiscreteNoiseSchedule("scaled_linear", b);
    }

    /** Stable Diffusion's schedule: scaled_linear, 0.00085 .. 0.012. */
    public static DiscreteNoiseSchedule scaledLinear(int steps) {
        return scaledLinear(steps, 0.00085, 0.012);
    }

    /**
     * The cosine schedule of Nichol and Dhariwal (2021, eq. 17): f(t) = cos^2(((t/T + s) / (1 + s)) pi/2),
     * s = 0.008, beta_t = min(1 - f(t+1)/f(t), 0.999).
     */
    public static DiscreteNoiseSchedule cosine(int steps) {
        checkSteps(steps);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double f1 = cosineF((double) i / steps);
            double f2 = cosineF((double) (i + 1) / steps);
            b[i] = Math.min(1 - f2 / f1, 0.999);
        }
        return new DiscreteNoiseSchedule("cosine", b);
    }

    private static double cosineF(double u) {
        double c = Math.cos((u + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /**
     * A schedule by its name with the published defaults.
     *
     * @param name {@code linear}, {@code scaled_linear} or {@code cosine}
     * @param steps T
     * @return the schedule
     */
    public static DiscreteNoiseSchedule byName(String name, int steps) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "linear" -> linear(steps);
            case "scaled_linear", "scaled-linear" -> scaledLinear(steps);
            case "cosine", "squaredcos_cap_v2" -> cosine(steps);
            default -> throw new IllegalArgumentException(
                    "unknown noise schedule '" + name + "'; known: [linear, scaled_linear, cosine]");
        };
    }

    private static void checkSteps(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a schedule needs at least 2 timesteps, got " + steps);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int numTimesteps() {
        return betas.length;
    }

    @Override
    public double beta(int t) {
        return betas[check(t)];
    }

    @Override
    public double alphaBar(int t) {
        return alphaBars[check(t)];
    }

    /** alpha-bar before step t; 1 for t = -1 (the clean sample). */
    public double alphaBarOrOne(int t) {
        return t < 0 ? 1.0 : alphaBar(t);
    }

    private int check(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException("timestep " + t + " is outside [0, " + betas.length + ")");
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiscreteNoiseSchedule s && s.name.equals(name) && Arrays.equals(s.betas, betas);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(betas);
    }

    @Override
    public String toString() {
        return name + "(T=" + betas.length + ")";
    }
}
