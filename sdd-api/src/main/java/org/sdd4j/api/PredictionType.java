package org.sdd4j.api;

/** What a diffusion network predicts from (x_t, t), as in diffusers' {@code prediction_type}. */
public enum PredictionType {
    /** The added noise epsilon (DDPM, Stable Diffusion 1.x). */
    EPSILON,
    /** The velocity v = sqrt(abar) * eps - sqrt(1 - abar) * x0 (Salimans and Ho 2022; SD 2.x 768). */
    V_PREDICTION,
    /** The clean sample x0. */
    SAMPLE
}
