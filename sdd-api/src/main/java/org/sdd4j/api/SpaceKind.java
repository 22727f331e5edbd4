package org.sdd4j.api;

/** Where a diffusion teacher works: directly on pixels, or on the latents of an autoencoder. */
public enum SpaceKind {
    /** The teacher denoises images (values in [-1, 1]). */
    PIXEL,
    /** The teacher denoises autoencoder latents (Stable Diffusion style). */
    LATENT
}
