package org.sdd4j.core.edit;

/**
 * An edge-preserving smoothing (a bilateral filter, Tomasi and Manduchi 1998) of the part of an image a learned
 * upsampler drew: each pixel becomes the average of the pixels around it, weighted by a Gaussian of their distance
 * and of their colour difference, so that faint blotches and grain even out while an edge between clearly different
 * colours (a mouth's line on the skin) stays where it is and as sharp as it was.
 *
 * <p>A {@link GuidedUpsampler} trained with an L1 loss draws what it cannot be sure of as a faint, grainy mixture
 * (around a smile it has to invent at 8x, the skin comes out mottled). On images made of flat colour areas, such as
 * FaceWorld's, smoothing what it drew with a colour spread of a few levels removes that grain and keeps the strokes;
 * on photographs, whose skin has texture of that amplitude, it would flatten the texture, so it is off unless an
 * upsampler records it ({@link GuidedUpsampler.Network#smoothing()}).
 */
final class EdgePreservingSmoothing {

    /**
     * Passes of the filter: measured on FaceWorld's smile at spread 0.1, two removed the grain; three took 0.1 dB more
     * from the mouth's PSNR to the genuine one at 128 and 256 px.
     */
    static final int PASSES = 2;
    /** Spatial spread, in model pixels (so in image pixels, this times the enlargement). */
    static final double SPACE = 0.5;
    /** Colour differences beyond this many spreads weigh nothing (exp(-4.5) is about 1%). */
    private static final double RANGE_CUTOFF = 3;
    /** Entries of the colour weight's lookup table. */
    private static final int TABLE = 1024;

    private EdgePreservingSmoothing() {}

    /**
     * Smooths {@code chw} (3 x h x w, [-1, 1] units) in place wherever {@code mask} (h x w) is above zero; pixels where
     * it is not are read (as neighbours) but left unchanged.
     *
     * @param range the colour spread of the weights, in [-1, 1] units (0 leaves the image unchanged)
     * @param scale image pixels per model pixel (the spatial spread is {@link #SPACE} model pixels)
     */
    static void apply(float[] chw, int w, int h, float[] mask, double range, double scale) {
        if (chw.length != 3 * w * h || mask.length != w * h) {
            throw new IllegalArgumentException("smoothing: expected 3 x " + h + " x " + w + " values and a " + h + " x "
                    + w + " mask, got " + chw.length + " and " + mask.length);
        }
        if (!(range > 0) || !(scale > 0)) {
            return;
        }
        double sigma = SPACE * scale;
        int radius = Math.max(1, (int) Math.ceil(2 * sigma));
        int side = 2 * radius + 1;
        double[] spatial = new double[side * side];
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                spatial[(dy + radius) * side + dx + radius] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            }
        }
        // colour weights looked up by squared distance, up to the cutoff
        double limit = RANGE_CUTOFF * RANGE_CUTOFF * range * range;
        double[] colour = new double[TABLE + 1];
        for (int i = 0; i <= TABLE; i++) {
            colour[i] = Math.exp(-(i * limit / TABLE) / (2 * range * range));
        }
        double step = TABLE / limit;
        int n = w * h;
        for (int pass = 0; pass < PASSES; pass++) {
            float[] src = chw.clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    if (!(mask[p] > 0)) {
                        continue;
                    }
                    float r0 = src[p];
                    float g0 = src[n + p];
                    float b0 = src[2 * n + p];
                    double ws = 0;
                    double ar = 0;
                    double ag = 0;
                    double ab = 0;
                    for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
                        int row = (yy - y + radius) * side + radius;
                        for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
                            int q = yy * w + xx;
                            double dr = src[q] - r0;
                            double dg = src[n + q] - g0;
                            double db = src[2 * n + q] - b0;
                            double d2 = dr * dr + dg * dg + db * db;
                            if (d2 >= limit) {
                                continue;
                            }
                            double wq = spatial[row + xx - x] * colour[(int) (d2 * step)];
                            ws += wq;
                            ar += wq * src[q];
                            ag += wq * src[n + q];
                            ab += wq * src[2 * n + q];
                        }
                    }
                    // ws > 0: the pixel itself is always within the cutoff
                    chw[p] = (float) (ar / ws);
                    chw[n + p] = (float) (ag / ws);
                    chw[2 * n + p] = (float) (ab / ws);
                }
            }
        }
    }
}
