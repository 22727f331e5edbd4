package org.sdd4j.api;

/**
 * Options of the score-distillation (SDS) gradient g = w(t) (eps_hat - eps).
 *
 * @param guidanceScale classifier-free guidance scale s; default 100, as in the SDD paper's code
 * @param weighting w(t); default 1 - alpha-bar_t, as in the paper's code
 * @param topKFraction keep only this fraction of the largest |g| entries per sample and zero the
 *     rest; 0 disables. Default 1/16: the paper's code keeps k = 1024 of the 4*64*64 = 16384
 *     entries of one Stable Diffusion latent, and the same fraction carries over to any space.
 * @param zeroNoise use eps = 0 instead of Gaussian noise (a deterministic variant)
 * @param objective how the gradient is formed; default {@link GuidanceObjective#SDS}, the paper's
 * @param sourcePrompt the prompt describing the unedited images, for {@link GuidanceObjective#DDS}
 *     (empty: the negative prompt of the request)
 */
public record SdsOptions(float guidanceScale, SdsWeighting weighting, double topKFraction, boolean zeroNoise,
        GuidanceObjective objective, String sourcePrompt) {

    /** The paper's k = 1024 out of one 4x64x64 latent. */
    public static final double PAPER_TOP_K_FRACTION = 1024.0 / (4 * 64 * 64);

    /** Validates the options. */
    public SdsOptions {
        if (!(guidanceScale >= 0) || Float.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("guidanceScale must be finite and >= 0, got " + guidanceScale);
        }
        if (weighting == null) {
            throw new IllegalArgumentException("weighting must not be null");
        }
        if (!(topKFraction >= 0 && topKFraction <= 1)) {
            throw new IllegalArgumentException("topKFraction must be in [0, 1] (0 = off), got " + topKFraction);
        }
        if (objective == null) {
            objective = GuidanceObjective.SDS;
        }
        if (sourcePrompt == null) {
            sourcePrompt = "";
        }
    }

    /** Options with the SDS objective. */
    public SdsOptions(float guidanceScale, SdsWeighting weighting, double topKFraction, boolean zeroNoise) {
        this(guidanceScale, weighting, topKFraction, zeroNoise, GuidanceObjective.SDS, "");
    }

    /** A copy with another objective. */
    public SdsOptions withObjective(GuidanceObjective o) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zeroNoise, o, sourcePrompt);
    }

    /** A copy with another source prompt (for DDS). */
    public SdsOptions withSourcePrompt(String p) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zeroNoise, objective, p);
    }

    /** The paper's defaults: s = 100, w = 1 - abar, top-k 1/16, Gaussian noise. */
    public static SdsOptions defaults() {
        return new SdsOptions(100f, SdsWeighting.ONE_MINUS_ALPHA_BAR, PAPER_TOP_K_FRACTION, false);
    }

    /** A copy with another guidance scale. */
    public SdsOptions withGuidanceScale(float s) {
        return new SdsOptions(s, weighting, topKFraction, zeroNoise, objective, sourcePrompt);
    }

    /** A copy with another top-k fraction (0 = off). */
    public SdsOptions withTopKFraction(double fraction) {
        return new SdsOptions(guidanceScale, weighting, fraction, zeroNoise, objective, sourcePrompt);
    }

    /** A copy with another weighting. */
    public SdsOptions withWeighting(SdsWeighting w) {
        return new SdsOptions(guidanceScale, w, topKFraction, zeroNoise, objective, sourcePrompt);
    }

    /** A copy with zero or Gaussian noise. */
    public SdsOptions withZeroNoise(boolean zero) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zero, objective, sourcePrompt);
    }
}
