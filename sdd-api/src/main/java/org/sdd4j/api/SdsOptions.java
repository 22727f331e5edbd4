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
 * @param lowNoiseGuidance 0 (the default) for one guidance scale at every timestep; else two-scale guidance:
 *     below t = {@link #LOW_NOISE_BELOW} the guidance uses this lower scale, with its gradient multiplied by
 *     guidanceScale / lowNoiseGuidance so both parts weigh alike, and the distillation adds the timesteps
 *     {@link #LOW_NOISE_TIMESTEPS} to the selected ones. At low noise a low scale gets fine colour right
 *     (what SDEdit at CFG 7.5 does from t = 200); the high scale at mid noise makes the large change
 */
public record SdsOptions(float guidanceScale, SdsWeighting weighting, double topKFraction, boolean zeroNoise,
        GuidanceObjective objective, String sourcePrompt, float lowNoiseGuidance) {

    /** Timesteps below this one use {@link #lowNoiseGuidance} when it is set. */
    public static final int LOW_NOISE_BELOW = 300;

    /** The timesteps two-scale guidance adds to the selected ones. */
    public static final java.util.List<Integer> LOW_NOISE_TIMESTEPS = java.util.List.of(150, 200, 250);

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
        if (!(lowNoiseGuidance >= 0) || Float.isInfinite(lowNoiseGuidance)
                || (lowNoiseGuidance > 0 && lowNoiseGuidance > guidanceScale)) {
            throw new IllegalArgumentException("lowNoiseGuidance must be 0 (off) or in (0, guidanceScale = "
                    + guidanceScale + "], got " + lowNoiseGuidance);
        }
    }

    /** Options without two-scale guidance. */
    public SdsOptions(float guidanceScale, SdsWeighting weighting, double topKFraction, boolean zeroNoise,
            GuidanceObjective objective, String sourcePrompt) {
        this(guidanceScale, weighting, topKFraction, zeroNoise, objective, sourcePrompt, 0f);
    }

    /** A copy with two-scale guidance at this low-noise scale (0: off). */
    public SdsOptions withLowNoiseGuidance(float s) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zeroNoise, objective, sourcePrompt, s);
    }

    /** The guidance scale at timestep t. */
    public float scaleAt(int t) {
        return lowNoiseGuidance > 0 && t < LOW_NOISE_BELOW ? lowNoiseGuidance : guidanceScale;
    }

    /** The factor on the guidance gradient at timestep t: guidanceScale / scaleAt(t), so both parts weigh alike. */
    public float gainAt(int t) {
        return lowNoiseGuidance > 0 && t < LOW_NOISE_BELOW ? guidanceScale / lowNoiseGuidance : 1f;
    }

    /** The timesteps a distillation trains at: the selected ones, plus {@link #LOW_NOISE_TIMESTEPS} if set. */
    public java.util.List<Integer> trainingTimesteps(java.util.List<Integer> selected) {
        if (lowNoiseGuidance == 0) {
            return selected;
        }
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(selected);
        all.addAll(LOW_NOISE_TIMESTEPS);
        return java.util.List.copyOf(all);
    }

    /** Options with the SDS objective. */
    public SdsOptions(float guidanceScale, SdsWeighting weighting, double topKFraction, boolean zeroNoise) {
        this(guidanceScale, weighting, topKFraction, zeroNoise, GuidanceObjective.SDS, "");
    }

    /** A copy with another objective. */
    public SdsOptions withObjective(GuidanceObjective o) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zeroNoise, o, sourcePrompt, lowNoiseGuidance);
    }

    /** A copy with another source prompt (for DDS). */
    public SdsOptions withSourcePrompt(String p) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zeroNoise, objective, p, lowNoiseGuidance);
    }

    /** The paper's defaults: s = 100, w = 1 - abar, top-k 1/16, Gaussian noise. */
    public static SdsOptions defaults() {
        return new SdsOptions(100f, SdsWeighting.ONE_MINUS_ALPHA_BAR, PAPER_TOP_K_FRACTION, false);
    }

    /** A copy with another guidance scale. */
    public SdsOptions withGuidanceScale(float s) {
        return new SdsOptions(s, weighting, topKFraction, zeroNoise, objective, sourcePrompt, lowNoiseGuidance);
    }

    /** A copy with another top-k fraction (0 = off). */
    public SdsOptions withTopKFraction(double fraction) {
        return new SdsOptions(guidanceScale, weighting, fraction, zeroNoise, objective, sourcePrompt, lowNoiseGuidance);
    }

    /** A copy with another weighting. */
    public SdsOptions withWeighting(SdsWeighting w) {
        return new SdsOptions(guidanceScale, w, topKFraction, zeroNoise, objective, sourcePrompt, lowNoiseGuidance);
    }

    /** A copy with zero or Gaussian noise. */
    public SdsOptions withZeroNoise(boolean zero) {
        return new SdsOptions(guidanceScale, weighting, topKFraction, zero, objective, sourcePrompt, lowNoiseGuidance);
    }
}
