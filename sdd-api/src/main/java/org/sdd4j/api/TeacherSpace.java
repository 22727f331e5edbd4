package org.sdd4j.api;

/**
 * The tensor space a teacher denoises: kind, channels and resolution (NCHW without the batch).
 *
 * @param kind pixel or latent
 * @param channels channels of x_t (3 for RGB pixels, 4 for Stable Diffusion latents)
 * @param height height of x_t
 * @param width width of x_t
 */
public record TeacherSpace(SpaceKind kind, int channels, int height, int width) {

    /** Validates the dimensions. */
    public TeacherSpace {
        if (kind == null) {
            throw new IllegalArgumentException("space kind must not be null");
        }
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "space dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** Number of entries of one sample, {@code channels * height * width}. */
    public int entriesPerSample() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + channels + "x" + height + "x" + width;
    }
}
