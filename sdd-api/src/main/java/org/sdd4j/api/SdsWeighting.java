package org.sdd4j.api;

/** The timestep weighting w(t) of the score-distillation gradient. */
public enum SdsWeighting {
    /** w(t) = 1 - alpha-bar_t, as in the SDD paper's released code (the default). */
    ONE_MINUS_ALPHA_BAR,
    /** w(t) = sqrt(alpha-bar_t) * (1 - alpha-bar_t), the DreamFusion-style alternative. */
    SQRT_ALPHA_BAR_TIMES_ONE_MINUS_ALPHA_BAR,
    /** w(t) = 1. */
    CONSTANT
}
