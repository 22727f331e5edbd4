package org.sdd4j.api;

/** Where a diffusion teacher works: directly on pixels, or on the latents of an autoencoder. */
public enum SpaceKind {
    /** The teacher denoises images (values in [-1, 1]). */
    PIXEL(true),
    /** The teacher denoises autoencoder latents (Stable Diffusion style), which are not bounded. */
    LATENT(false);

    private final boolean bounded;

    SpaceKind(boolean bounded) {
        this.bounded = bounded;
    }

    /** Whether x_0 of this space lies in [-1, 1] (DDIM clips its x_0 estimate there only if so). */
    public boolean bounded() {
        return bounded;
    }
}
