package org.sdd4j.core.edit;

import java.awt.image.BufferedImage;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;

/**
 * Where the training pictures have their subject: the mean edge strength (the gradient magnitude of the luminance) of
 * the training images at the model's resolution. An editor works on subjects framed as in its training pictures; a
 * box drawn by hand or found by a detector is rarely framed the same way, and a few pixels at the model's resolution
 * decide whether an edit lands (on FaceWorld, a box a twentieth of its side off cost a third of the smiles).
 * {@link #align} moves and scales such a box to the square whose edges best match the template (normalised
 * correlation), within {@link #RANGE} of its side, so the subject sits where the training pictures have it.
 */
public final class FramingTemplate {

    /** Training images averaged (spread over the data). */
    public static final int IMAGES = 2000;
    /** How far {@link #align} moves a box: this share of its side in each direction. */
    public static final double RANGE = 0.15;
    /** The sides {@link #align} tries, as shares of the box's side. */
    static final double[] SCALES = {0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2};
    /** Pixels per model pixel at which the candidates are cut (the picture is resized once to that scale). */
    private static final int OVERSAMPLE = 2;

    private final int resolution;
    private final float[] values;

    private FramingTemplate(int resolution, float[] values) {
        this.resolution = resolution;
        this.values = values;
    }

    /**
     * The template of {@code data}: the mean edge strength of up to {@link #IMAGES} of its images, spread over it.
     *
     * @throws IllegalArgumentException if the data is empty or an image cannot be read
     */
    public static FramingTemplate of(TrainingData data, int resolution) {
        if (data.size() < 1) {
            throw new IllegalArgumentException("a framing template needs at least one training image");
        }
        int n = Math.min(IMAGES, data.size());
        double[] sum = new double[resolution * resolution];
        for (int k = 0; k < n; k++) {
            int index = (int) ((long) k * data.size() / n);
            BufferedImage img = ImageTensors.resize(ImageTensors.toRgb(data.get(index).image()), resolution,
                    resolution);
            float[] e = edges(img, resolution);
            for (int i = 0; i < e.length; i++) {
                sum[i] += e[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / n);
        }
        return of(mean, resolution);
    }

    /**
     * A template from its values (as a bundle records them: {@link #values()}).
     *
     * @throws IllegalArgumentException if there are not {@code resolution}² finite values, or they are all equal
     */
    public static FramingTemplate of(float[] values, int resolution) {
        if (resolution < 4 || values.length != resolution * resolution) {
            throw new IllegalArgumentException("a framing template at " + resolution + " px has " + resolution
                    + "x" + resolution + " values, got " + values.length);
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("a framing template's values must be finite, got " + v);
            }
        }
        float[] z = standardised(values);
        if (z == null) {
            throw new IllegalArgumentException("a framing template's values are all equal: it says nothing about"
                    + " where the subject is");
        }
        return new FramingTemplate(resolution, z);
    }

    /** The model resolution. */
    public int resolution() {
        return resolution;
    }

    /** The template's values, row by row, standardised (mean 0, unit length). */
    public float[] values() {
        return values.clone();
    }

    /** How well a square picture's edges match the template: their normalised correlation, in [-1, 1]. */
    public double score(BufferedImage square) {
        float[] z = standardised(edges(ImageTensors.resize(ImageTensors.toRgb(square), resolution, resolution),
                resolution));
        if (z == null) {
            return -1; // a flat picture has no subject
        }
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s += z[i] * values[i];
        }
        return s;
    }

    /**
     * The square near {@code box} (moved by up to {@link #RANGE} of its side, its side scaled by 0.8 to 1.2) whose
     * edges match the template best: the subject where the training pictures have it. Parts of a candidate beyond the
     * image repeat its edge pixels, as {@link Framing#seen(BufferedImage, Framing.Square)} gives them to the editor.
     *
     * @throws IllegalArgumentException if {@code box} lies wholly outside the image
     */
    public Framing.Square align(BufferedImage image, Framing.Square box) {
        // the area every candidate lies in, resized once so that the box's side is OVERSAMPLE model pixels per pixel
        double reach = RANGE + (SCALES[SCALES.length - 1] - 1) / 2;
        int margin = (int) Math.ceil(box.side() * reach) + 1;
        Framing.Square area = new Framing.Square(box.x() - margin, box.y() - margin, box.side() + 2 * margin);
        int boxSide = OVERSAMPLE * resolution;
        double f = (double) boxSide / box.side();
        int areaSide = (int) Math.round(area.side() * f);
        BufferedImage small = ImageTensors.resize(Framing.seen(ImageTensors.toRgb(image), area), areaSide, areaSide);
        int steps = (int) Math.round(RANGE * boxSide); // one step per small pixel
        double centre = areaSide / 2.0;
        double best = Double.NEGATIVE_INFINITY;
        int[] at = {0, 0, boxSide};
        for (double scale : SCALES) {
            int side = (int) Math.round(boxSide * scale);
            for (int dy = -steps; dy <= steps; dy++) {
                for (int dx = -steps; dx <= steps; dx++) {
                    int x = clamp((int) Math.round(centre - side / 2.0) + dx, areaSide - side);
                    int y = clamp((int) Math.round(centre - side / 2.0) + dy, areaSide - side);
                    double s = score(small.getSubimage(x, y, side, side));
                    if (s > best) { // ties keep the first met, so the same picture always gives the same square
                        best = s;
                        at = new int[] {x, y, side};
                    }
                }
            }
        }
        int side = (int) Math.round(at[2] / f);
        double cx = area.x() + (at[0] + at[2] / 2.0) / f;
        double cy = area.y() + (at[1] + at[2] / 2.0) / f;
        return new Framing.Square((int) Math.round(cx - side / 2.0), (int) Math.round(cy - side / 2.0), side);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** The gradient magnitude of the luminance (central differences, edges repeated), 0-255 units. */
    static float[] edges(BufferedImage img, int res) {
        int[] p = ImageTensors.pixels(img);
        float[] l = new float[res * res];
        for (int i = 0; i < l.length; i++) {
            int c = p[i];
            l[i] = 0.299f * (c >> 16 & 255) + 0.587f * (c >> 8 & 255) + 0.114f * (c & 255);
        }
        float[] g = new float[l.length];
        for (int y = 0; y < res; y++) {
            for (int x = 0; x < res; x++) {
                float gx = l[y * res + Math.min(res - 1, x + 1)] - l[y * res + Math.max(0, x - 1)];
                float gy = l[Math.min(res - 1, y + 1) * res + x] - l[Math.max(0, y - 1) * res + x];
                g[y * res + x] = (float) Math.sqrt(gx * gx + gy * gy);
            }
        }
        return g;
    }

    /** Mean 0 and unit length; null for constant values. */
    private static float[] standardised(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        if (ss < 1e-12) {
            return null;
        }
        double norm = Math.sqrt(ss);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) ((v[i] - mean) / norm);
        }
        return out;
    }
}
