package org.sdd4j.api;

/**
 * The score-distillation objective that turns the teacher's predictions into the gradient on the
 * student's output. All three combine classifier-free guidance once, in the library, and work with
 * any teacher.
 */
public enum GuidanceObjective {
    /**
     * Score Distillation Sampling (Poole et al. 2022; the SDD paper): g = w(t) (eps_hat(x_t') - eps).
     * Biased toward saturated, over-contrasted modes at large guidance scales.
     */
    SDS,
    /**
     * Delta Denoising Score (Hertz, Aberman, Cohen-Or, ICCV 2023): g = w(t) (eps_hat(x_t'; target) -
     * eps_hat(x_t; source)), the edited image under the target prompt minus the source image under a
     * source prompt, with the same noise and timestep, so that the bias both share cancels.
     */
    DDS,
    /**
     * Noise-Free Score Distillation (Katzir et al., ICLR 2024): g = w(t) (delta_D + s delta_C) with
     * delta_C = eps(x_t'; c) - eps(x_t'; empty) and delta_D = eps(x_t'; empty) - eps(x_t'; negative)
     * for t >= 200, eps(x_t'; empty) below: the noise residual (eps_hat - eps) of SDS, which forces
     * large guidance, is replaced by the pull away from the negative prompt.
     */
    NFSD
}
