package org.sdd4j.api;

/**
 * The discrete forward process of a diffusion model: betas and the cumulative products
 * alpha-bar_t = prod_{s<=t} (1 - beta_s), for t = 0 .. numTimesteps()-1.
 *
 * <p>A schedule owns only this noise arithmetic; models know nothing of it. Implementations are
 * immutable.
 */
public interface NoiseSchedule {

    /** The schedule's name, for example {@code linear}, {@code scaled_linear} or {@code cosine}. */
    String name();

    /** Number of training timesteps T (1000 for DDPM and Stable Diffusion). */
    int numTimesteps();

    /** beta_t, the variance added at step t. */
    double beta(int t);

    /** alpha-bar_t, the fraction of signal variance left at step t. */
    double alphaBar(int t);

    /** alpha_t = 1 - beta_t. */
    default double alpha(int t) {
        return 1.0 - beta(t);
    }
}
