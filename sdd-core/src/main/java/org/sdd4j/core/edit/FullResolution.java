package org.sdd4j.core.edit;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.sdd4j.core.data.ImageTensors;

/**
 * Carries an edit made at the model's resolution back to an image of any size and aspect.
 *
 * <p>Aspect: the image is placed in the middle of a square (its edge pixels repeated into the
 * margins), so faces are never squashed; the result is cropped back to the image.
 *
 * <p>Size: where the manipulator changed the image (its residual is larger than {@link #TAU}, {@link #LEARNED_TAU}
 * for {@link Mode#LEARNED}, widened by
 * one pixel and softened), the result takes the manipulator's output, upsampled: the edited content
 * <em>replaces</em> what was there, so an original mouth does not survive under a new one. Elsewhere, and where
 * the change only tints a pixel ({@link #withoutTints}: the eyes a little lighter), the upsampled residual is added to
 * the original, keeping its full-resolution detail. {@link Mode#EDGE_AWARE}
 * upsamples the residual and the output along the original's edges instead (for edits that recolour a region
 * without moving its outline, such as a hair colour). At the model's resolution every mode gives the
 * manipulator's output exactly, except that {@link Mode#LEARNED} first finishes what the edit removes
 * ({@link #finishRemovals}) and {@link Mode#EDGE_AWARE} first makes the recolour consistent
 * ({@link #consistentRecolour}), at every size.
 */
public final class FullResolution {

    /** Residual magnitude (in [-1, 1] units, about 51/255) from which a pixel counts as fully edited; measured with `sdd evaluate-resolution` (0.1 blurred whole faces, 0.4 replaced the mouth and kept the eyes sharp). */
    static final float TAU = Float.parseFloat(System.getProperty("sdd.blendThreshold", "0.4"));

    /**
     * {@link #TAU} for {@link Mode#LEARNED}, lower: a pixel the edit changed by 0.3 or more is replaced whole, so the
     * original's full-resolution strokes under it (a frown the smile removes) cannot show through a part-blend.
     * Measured with `sdd evaluate-resolution --edit smiling` (the demo's editor, 200 held-out faces, 128 / 256 px):
     * with the first smiling upsampler 0.4 / 0.3 / 0.2 left the original mouth visible on 7.5 / 3.0 / 1.0% and
     * 6.0 / 2.0 / 0.5% of faces, with the same PSNR in the mouth (23.5 and 22.2-22.3 dB) and 49.0 / 47.8 / 46.3 dB
     * outside it at 128 px; 0.2 softened the eyes next to some mouths, 0.3 did not. With the upsampler shipped now
     * 0.4 / 0.3 leave 5.0 / 2.0% and 6.0 / 1.5%.
     */
    static final float LEARNED_TAU = Float.parseFloat(System.getProperty("sdd.learnedBlendThreshold", "0.3"));

    /**
     * The largest enlargement (image side over model resolution) at which {@link Mode#LEARNED}'s upsampler runs: it
     * is trained at 4x and 8x (`sdd train-upsampler`'s default sizes), and at 16x (512 px) it drew the demo's smile as
     * a doubled, ragged lower lip, its field of view covering too few model pixels to see the mouth (success 97.0 ->
     * 100.0%, 20.4 -> 22.7 dB in the mouth with this limit). Above it, it runs at this size and its result is
     * enlarged.
     */
    static final int LEARNED_MAX_SCALE = Integer.getInteger("sdd.learnedMaxScale", 8);

    /** How the edit is put back. */
    public enum Mode {
        /** original + upsampled residual everywhere (the earlier behaviour; overlays instead of replacing). */
        RESIDUAL,
        /** the manipulator's upsampled output where it edited, original + residual elsewhere. */
        BLEND,
        /**
         * BLEND, with the residual and the output upsampled edge-aware (joint bilateral upsampling, Kopf et al.
         * 2007): each pixel takes them from the model-resolution pixels around it whose original colour is close
         * to its own, so edges of the original (the hair's outline, say) stay sharp. First, at every size, the
         * edit's faint changes ({@link #FAINT_FROM}) and its changes to a few pixels of a colour it otherwise leaves
         * alone ({@link #colourGate}) are left behind, and every pixel of a colour the edit mostly changed takes one
         * new colour ({@link #consistentColours}): the recolour becomes even, and what it missed of the region is
         * finished, over whole regions of one colour ({@link #wholeRegions}); pixels that mix the recoloured colour
         * with another take their share of the change ({@link #unmixedBorders}). At a larger size a pixel of a colour
         * no model pixel around it has is {@link #unmatched}: it takes the change of the model's pixels of its colour
         * further away, or its share of the changes of two colours it mixes, or keeps its own.
         */
        EDGE_AWARE,
        /**
         * BLEND, with the manipulator's output carried to full resolution by a learned {@link GuidedUpsampler}
         * instead of bilinear upsampling: new content (a smile's line) gets sharp edges instead of a blur; what the
         * edit removes is finished first ({@link #finishRemovals}).
         */
        LEARNED
    }

    /** {@link #finishRemovals}: smallest change (any channel, [-1, 1] units) of a pixel it looks at. */
    static final double REMOVAL_CHANGED = 0.04;
    /** How far (model pixels, each way) it looks for the image's own colours. */
    static final int REMOVAL_RADIUS = 3;
    /** Distance to the nearest of those colours up to which a pixel takes it whole. */
    static final double REMOVAL_FROM = 0.16;
    /** Distance from which it takes none of it. */
    static final double REMOVAL_TO = 0.32;
    /** How much closer to that colour than to its original a pixel must be. */
    static final double REMOVAL_MARGIN = 0.2;

    /**
     * {@link #withoutTints}: a change (largest channel, [-1, 1] units) below this may be a tint; at and above it a
     * pixel also counts as strongly changed for {@link #TINT_CLEAR}.
     */
    static final double TINT_MAX = 0.35;
    /** How far (model pixels, each way) a tinted pixel must be from any strongly changed pixel. */
    static final int TINT_CLEAR = 2;
    /** How far (model pixels, each way) it looks for clearly different colours of the original. */
    static final int TINT_RADIUS = 2;
    /** Distance from the pixel's own original colour from which a colour counts as clearly different. */
    static final double TINT_OTHER = 0.3;
    /**
     * {@link #detached}: smallest change (largest channel, [-1, 1] units, about 10/255) of a pixel that joins the
     * changed regions, 8-connected.
     */
    static final double DETACHED_FROM = 0.08;
    /** Share of the largest changed region's summed change below which a region apart from it is detached. */
    static final double DETACHED_SHARE = 0.2;

    /** {@link #consistentColours}: change (any channel, [-1, 1] units) from which a pixel counts as changed. */
    static final double CONSISTENT_CHANGED = 0.15;
    /** How far (model pixels, each way) from a changed pixel it looks at pixels. */
    static final int CONSISTENT_REACH = 1;
    /** Spatial spread of its weights, as a share of the model's side. */
    static final double CONSISTENT_SPACE = 0.2;
    /** Share of the pixels of its colour around it that changed below which a pixel takes none of their colour. */
    static final double CONSISTENT_SHARE_FROM = 0.4;
    /** Share from which it takes their colour whole. */
    static final double CONSISTENT_SHARE_TO = 0.7;

    /** No target colours ({@link #wholeRegions(float[], float[], int, int, float[])}). */
    static final float[] NO_TARGETS = new float[0];
    /**
     * {@link #wholeRegions(float[], float[], int, int, float[])}: colour distance (48/255) within which a region's new
     * colour takes the nearest target colour. 200 held-out faces, demo's blond editor, hair at 32 / 256 px: none
     * 28.4 / 32.2 dB, colour error 9.1 / 10.1; 24/255: 30.2 / 39.5 dB, 5.4 / 2.2; 48/255: 30.9 / 41.0 dB, 4.3 / 0.9;
     * 64/255: 31.1 / 41.3 dB, 3.9 / 0.8 (the lower, the further a guess of the edit's own stays its own).
     */
    static final double TARGET_SNAP = 48 / 127.5;
    /** {@link #wholeRegions}: colour distance (about 8/255) within which a pixel belongs to a region. */
    static final double WHOLE_SAME = 0.06;
    /** Share of a region's pixels that must have been recoloured for the rest to follow. */
    static final double WHOLE_SHARE = 0.5;
    /** Fewest pixels of a region that follows, or is kept. */
    static final int WHOLE_SMALLEST = 4;
    /**
     * How many times as many recoloured pixels as a partly recoloured region of another colour the mostly recoloured
     * regions hold for it to be kept as it was.
     */
    static final int WHOLE_MAIN = 2;
    /**
     * Share of a region's pixels recoloured below which the region is kept as it was, its few recoloured pixels and
     * faint changes included (a glow on the background beside blond hair). 0.1 also kept a weakly recoloured head of
     * hair on one face in 200 at two seeds of three (docs/RESULTS.md).
     */
    static final double KEPT_SHARE = 0.05;

    /**
     * {@link #unmixedBorders}: change (largest channel, [-1, 1] units) from which a pixel counts as recoloured, as in
     * {@link #consistentColours}.
     */
    static final double BORDER_CHANGED = CONSISTENT_CHANGED;
    /** Change below which a pixel counts as kept. */
    static final double BORDER_KEPT = 0.06;
    /** Largest distance (about 10/255) of a pixel's original colour from the mix of a recoloured and a kept colour. */
    static final double BORDER_FIT = 0.08;
    /** Smallest distance between the two colours of a mix, so that the share is well defined. */
    static final double BORDER_APART = 0.25;
    /** A mix takes the change of shares in [1 - this, this] only; purer pixels are {@link #consistentColours}'s. */
    static final double BORDER_PURE = 0.9;
    /** Colour distance (about 4/255) within which a neighbour has a pixel's own colour, for {@link #flat}. */
    static final double BORDER_FLAT = 0.03;
    /**
     * Distance within which a kept pixel around has the recoloured colour (a glasses frame as dark as black hair):
     * then the mix may be of that pixel's colour, and is left alone.
     */
    static final double BORDER_TWIN = 0.15;

    /** Spatial spread of {@link Mode#EDGE_AWARE}'s weights, in model pixels. */
    static final double SIGMA_SPACE = 0.8;
    /**
     * A pixel at the user's size whose colour is within this of a model pixel's around it takes the joint bilateral
     * mean of their changes; further from all of them it is {@link #unmatched}.
     */
    static final double MATCH = 0.1;
    /** Model pixels within this of each other's colour form one group in {@link #unmatched}. */
    static final double FAR_MATCH = 0.03;
    /** How far (model pixels) {@link #unmatched} looks for pixels of one colour. */
    static final int FAR_REACH = 16;
    /** The most colour groups {@link #unmatched} keeps. */
    static final int FAR_GROUPS = 24;
    /** One of the two colours {@link #unmatched} mixes lies within this (model pixels) of the pixel. */
    static final double PAIR_NEAR = 1.5;
    /** How close a colour lies to the mix of two groups' colours for {@link #unmatched} to call it that mix. */
    static final double FULL_FIT = 0.02;
    /**
     * Colour spread of {@link Mode#EDGE_AWARE}'s weights, in [-1, 1] units (about 9/255): narrow enough that a
     * pixel of the background or the skin takes nothing from a model pixel that mixes it with the recoloured hair
     * (0.15 let a light halo spill around the hair at 256 px).
     */
    static final double SIGMA_RANGE = 0.07;
    /**
     * {@link Mode#EDGE_AWARE} carries a change only where it is a real part of the edit: a model pixel whose
     * change (largest channel) is below FAINT_FROM of the edit's strong change (its 99th percentile) is left as
     * it was, one above FAINT_TO of it is carried whole, smoothly in between. The faint changes a manipulator
     * leaves around a recoloured region (a glow on the skin beside the hair) would otherwise spread over the
     * skin's pixels at full size; relative to the edit's own strength, so a faint edit as a whole is carried.
     */
    static final double FAINT_FROM = 0.1;
    /** See {@link #FAINT_FROM}. */
    static final double FAINT_TO = 0.25;
    /** Share of the pixels of a colour changed below which a change of that colour is left behind ({@link #colourGate}). */
    static final double GATE_FROM = 0.1;
    /** Share from which it is kept whole. */
    static final double GATE_TO = 0.3;
    /** Share of the changed pixels around a pixel having its colour, below which that alone does not keep its change. */
    static final double GATE_MAJORITY_FROM = 0.3;
    /** Share from which it keeps the change whole. */
    static final double GATE_MAJORITY_TO = 0.5;
    /** Spatial spread of {@link #colourGate}'s weights, as a share of the model's side. */
    static final double GATE_SPACE = 0.25;
    /** Largest distance (model pixels) {@link #colourGate} looks at, so that its cost stays bounded at large sides. */
    static final int GATE_RADIUS = 24;

    private FullResolution() {}

    /**
     * The square model input of an image: downscaled (keeping the aspect) to at most 4x the model
     * resolution, centred on a square with repeated edges, then resized to {@code res}.
     */
    static BufferedImage squareInput(BufferedImage image, int res) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage src = image;
        int cap = 4 * res;
        if (Math.max(w, h) > cap) {
            double f = (double) cap / Math.max(w, h);
            src = ImageTensors.resize(image, Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)));
        }
        int sw = src.getWidth();
        int sh = src.getHeight();
        if (sw != sh) {
            int s = Math.max(sw, sh);
            int ox = (s - sw) / 2;
            int oy = (s - sh) / 2;
            int[] px = ImageTensors.pixels(src);
            int[] sq = new int[s * s];
            for (int y = 0; y < s; y++) {
                int yy = Math.min(sh - 1, Math.max(0, y - oy));
                for (int x = 0; x < s; x++) {
                    sq[y * s + x] = px[yy * sw + Math.min(sw - 1, Math.max(0, x - ox))];
                }
            }
            BufferedImage square = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
            ImageTensors.setPixels(square, 0, 0, s, s, sq);
            src = square;
        }
        return ImageTensors.resize(src, res, res);
    }

    /**
     * The edited image at the original's size.
     *
     * @param original the input
     * @param y the model input (CHW, [-1, 1]) from {@code offset}
     * @param edited the manipulator's output, same layout
     * @param offset start of this image in the arrays
     * @param res the model resolution
     * @param mode how to put the edit back
     * @return the result, 8-bit RGB, the original's size
     */
    static BufferedImage compose(BufferedImage original, float[] y, float[] edited, int offset, int res, Mode mode) {
        return compose(original, y, edited, offset, res, mode, null);
    }

    /**
     * As {@link #compose(BufferedImage, float[], float[], int, int, Mode)}, with the upsampler
     * {@link Mode#LEARNED} needs (null for the other modes).
     */
    static BufferedImage compose(BufferedImage original, float[] y, float[] edited, int offset, int res, Mode mode,
            GuidedUpsampler upsampler) {
        return compose(original, y, edited, offset, res, mode, upsampler, NO_TARGETS);
    }

    /**
     * As {@link #compose(BufferedImage, float[], float[], int, int, Mode, GuidedUpsampler)}, with the edit's target
     * colours ({@link #wholeRegions(float[], float[], int, int, float[])}) for {@link Mode#EDGE_AWARE}.
     */
    static BufferedImage compose(BufferedImage original, float[] y, float[] edited, int offset, int res, Mode mode,
            GuidedUpsampler upsampler, float[] targets) {
        int per = 3 * res * res;
        if (offset != 0 || edited.length != per) {
            // this image alone: the passes below copy what they change, and a batch holds up to 64 images
            y = Arrays.copyOfRange(y, offset, offset + per);
            edited = Arrays.copyOfRange(edited, offset, offset + per);
            offset = 0;
        }
        if (mode == Mode.LEARNED) {
            edited = finishRemovals(y, edited, offset, res);
        }
        if (mode == Mode.EDGE_AWARE) {
            edited = consistentRecolour(y, edited, offset, res, targets);
        }
        if (mode != Mode.RESIDUAL && original.getWidth() == res && original.getHeight() == res) {
            // at the model's resolution every mode gives the manipulator's output (LEARNED's finished, EDGE_AWARE's
            // made consistent) exactly
            mode = Mode.BLEND;
        }
        if (mode == Mode.LEARNED && upsampler == null) {
            throw new IllegalArgumentException("put-back LEARNED needs a guided upsampler (sdd train-upsampler);"
                    + " none is loaded");
        }
        int w = original.getWidth();
        int h = original.getHeight();
        int hw = res * res;
        float[] residual = new float[3 * hw];
        for (int i = 0; i < residual.length; i++) {
            residual[i] = edited[offset + i] - y[offset + i];
        }
        float[] mask = mode == Mode.RESIDUAL ? new float[hw]
                : mask(mode == Mode.EDGE_AWARE ? residual : withoutTints(residual, y, edited, offset, res), res,
                        mode == Mode.LEARNED ? LEARNED_TAU : TAU);
        double[] d = new double[3];
        double[] e = new double[3];
        int side = Math.max(w, h);
        int ox = (side - w) / 2;
        int oy = (side - h) / 2;
        // LEARNED: the output carried by the upsampler over the box around the mask (image coordinates)
        int[] box = mode == Mode.LEARNED ? box(mask, res, side, ox, oy, w, h) : null;
        float[] learned = null;
        if (box != null) {
            learned = carried(original, edited, offset, res, mask, box, side, ox, oy, upsampler);
        }
        boolean[] flat = null;
        Palette[] palettes = null; // EDGE_AWARE's, per cell, made when first needed
        if (mode == Mode.EDGE_AWARE) {
            palettes = new Palette[hw];
            flat = new boolean[hw];
            for (int q = 0; q < hw; q++) {
                flat[q] = flat(y, offset, res, q % res, q / res);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Tap[] columns = new Tap[w];
        for (int xx = 0; xx < w; xx++) {
            columns[xx] = Tap.at(xx + ox, res, side);
        }
        // strips of rows keep the working arrays small whatever the image size
        int strip = Math.max(1, Math.min(h, (1 << 20) / Math.max(1, w)));
        for (int top = 0; top < h; top += strip) {
            int rows = Math.min(strip, h - top);
            int[] px = ImageTensors.pixels(original, 0, top, w, rows);
            for (int r = 0; r < rows; r++) {
                Tap ty = Tap.at(top + r + oy, res, side);
                for (int xx = 0; xx < w; xx++) {
                    Tap tx = columns[xx];
                    double m = bilinear(mask, 0, res, tx, ty);
                    int p = px[r * w + xx];
                    if (mode == Mode.EDGE_AWARE) {
                        jointBilateral(p, y, edited, flat, palettes, offset, res, tx.s(), ty.s(), d, e);
                    } else {
                        int ay = top + r;
                        boolean inBox = learned != null && xx >= box[0] && xx < box[2] && ay >= box[1] && ay < box[3];
                        for (int c = 0; c < 3; c++) {
                            d[c] = bilinear(residual, c * hw, res, tx, ty);
                            if (m <= 0) {
                                e[c] = 0;
                            } else if (inBox) {
                                int bw = box[2] - box[0];
                                e[c] = learned[(c * (box[3] - box[1]) + ay - box[1]) * bw + xx - box[0]];
                            } else {
                                e[c] = bilinear(edited, offset + c * hw, res, tx, ty);
                            }
                        }
                    }
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        double v = ((p >> (16 - 8 * c)) & 0xFF) + d[c] * 127.5;
                        if (m > 0) {
                            v = m * (e[c] + 1) * 127.5 + (1 - m) * v;
                        }
                        int nv = (int) Math.round(v);
                        rgb |= (nv < 0 ? 0 : Math.min(nv, 255)) << (16 - 8 * c);
                    }
                    px[r * w + xx] = rgb;
                }
            }
            ImageTensors.setPixels(out, 0, top, w, rows, px);
        }
        return out;
    }

    /**
     * Residual (into {@code d}) and edited colour (into {@code e}) at model coordinates (sx, sy) for a pixel of
     * original colour {@code p}: the model pixels of the 4x4 neighbourhood weighted by a Gaussian of their distance
     * and of the difference between their original colour (the model input y) and the pixel's; {@link #unmatched} when
     * none of them is within {@link #MATCH} of its colour. Of a colour some of them have (within {@link #FAR_MATCH})
     * only those count; nearest in colour to a model pixel that is not {@code flat} (a mix at the model's resolution),
     * it is first {@link #unmatched}: explained as a mix of the colours around, if it is one. {@code flat}: the model
     * pixels in areas of one colour.
     */
    private static void jointBilateral(int p, float[] y, float[] edited, boolean[] flat, Palette[] palettes,
            int offset, int res, double sx, double sy, double[] d, double[] e) {
        int hw = res * res;
        double[] own = new double[3];
        for (int c = 0; c < 3; c++) {
            own[c] = ((p >> (16 - 8 * c)) & 0xFF) / 127.5 - 1;
        }
        double ws = 0;
        double[] accD = new double[3];
        double[] accE = new double[3];
        int cx = (int) Math.floor(sx);
        int cy = (int) Math.floor(sy);
        double closest = Double.MAX_VALUE;
        boolean closestFlat = false;
        for (int qy = Math.max(0, cy - 1); qy <= Math.min(res - 1, cy + 2); qy++) {
            for (int qx = Math.max(0, cx - 1); qx <= Math.min(res - 1, cx + 2); qx++) {
                double col2 = 0;
                for (int c = 0; c < 3; c++) {
                    double diff = own[c] - y[offset + qy * res + qx + c * hw];
                    col2 += diff * diff;
                }
                if (col2 < closest) {
                    closest = col2;
                    closestFlat = flat[qy * res + qx];
                }
            }
        }
        if (closest > MATCH * MATCH) {
            if (!unmatched(own, palette(palettes, y, edited, flat, offset, res, sx, sy), d, e)) {
                for (int c = 0; c < 3; c++) {
                    d[c] = 0;
                    e[c] = own[c];
                }
            }
            return;
        }
        if (closest > 0 && !closestFlat
                && unmatched(own, palette(palettes, y, edited, flat, offset, res, sx, sy), d, e)) {
            // nearest in colour to a model pixel that is itself a mix: explained by the colours around as their mix
            // (an antialiased pixel of the outline at this size, whose share of hair is not the model pixel's)
            return;
        }
        // of a colour some model pixel around has (within FAR_MATCH): only those pixels, not the mixes of it with the
        // recoloured colour (the skin below a fringe takes no tint from the fringe's outline)
        boolean pure = closest <= FAR_MATCH * FAR_MATCH;
        for (int qy = Math.max(0, cy - 1); qy <= Math.min(res - 1, cy + 2); qy++) {
            for (int qx = Math.max(0, cx - 1); qx <= Math.min(res - 1, cx + 2); qx++) {
                double dist2 = (qx - sx) * (qx - sx) + (qy - sy) * (qy - sy);
                double col2 = 0;
                int q = offset + qy * res + qx;
                for (int c = 0; c < 3; c++) {
                    double diff = own[c] - y[q + c * hw];
                    col2 += diff * diff;
                }
                if (pure && col2 > FAR_MATCH * FAR_MATCH) {
                    continue;
                }
                double wq = Math.exp(-dist2 / (2 * SIGMA_SPACE * SIGMA_SPACE) - col2 / (2 * SIGMA_RANGE * SIGMA_RANGE));
                ws += wq;
                for (int c = 0; c < 3; c++) {
                    accE[c] += wq * edited[q + c * hw];
                    accD[c] += wq * (edited[q + c * hw] - y[q + c * hw]);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            d[c] = accD[c] / ws;
            e[c] = accE[c] / ws;
        }
    }

    /**
     * The colours around a cell of the model's picture (its pixel (fx, fy) and the three beyond it to the right and
     * down, where a pixel of the larger picture there finds its 4x4 neighbourhood), for {@link #unmatched}: the model
     * pixels in areas of one colour ({@code flat}) within {@link #FAR_REACH} and those of the 4x4 neighbourhood,
     * grouped by colour (within {@link #FAR_MATCH} of a group's first), each group with its members' mean change
     * weighed by their distance from the cell and its nearest member's squared distance.
     */
    private record Palette(double[][] colour, double[][] change, double[] nearest, int size) {
        static Palette around(float[] y, float[] edited, boolean[] flat, int offset, int res, int fx, int fy) {
            int hw = res * res;
            double cx = fx + 0.5;
            double cy = fy + 0.5;
            double[][] colour = new double[FAR_GROUPS][];
            double[][] change = new double[FAR_GROUPS][3];
            double[] weight = new double[FAR_GROUPS];
            double[] nearest = new double[FAR_GROUPS];
            int groups = 0;
            for (int qy = Math.max(0, fy - FAR_REACH); qy <= Math.min(res - 1, fy + FAR_REACH); qy++) {
                for (int qx = Math.max(0, fx - FAR_REACH); qx <= Math.min(res - 1, fx + FAR_REACH); qx++) {
                    int q = qy * res + qx;
                    boolean local = qx >= fx - 1 && qx <= fx + 2 && qy >= fy - 1 && qy <= fy + 2;
                    if (!flat[q] && !local) {
                        continue;
                    }
                    int g = 0;
                    while (g < groups && distance(colour[g], y, offset + q, hw) >= FAR_MATCH) {
                        g++;
                    }
                    if (g == groups) {
                        if (groups == FAR_GROUPS) {
                            continue;
                        }
                        nearest[groups] = Double.MAX_VALUE;
                        colour[groups++] = new double[] {y[offset + q], y[offset + hw + q], y[offset + 2 * hw + q]};
                    }
                    double dist2 = (qx - cx) * (qx - cx) + (qy - cy) * (qy - cy);
                    nearest[g] = Math.min(nearest[g], dist2);
                    double w = Math.exp(-dist2 / (2.0 * FAR_REACH * FAR_REACH));
                    weight[g] += w;
                    for (int c = 0; c < 3; c++) {
                        change[g][c] += w * (edited[offset + c * hw + q] - y[offset + c * hw + q]);
                    }
                }
            }
            for (int g = 0; g < groups; g++) {
                for (int c = 0; c < 3; c++) {
                    change[g][c] /= weight[g];
                }
            }
            return new Palette(colour, change, nearest, groups);
        }
    }

    /**
     * Residual (into {@code d}) and edited colour (into {@code e}) for a pixel of colour {@code own} that no model
     * pixel around it matches, from the {@link Palette} of its cell: a group of the pixel's colour (within
     * {@link #FAR_MATCH}) gives it its change (the lower end of a side of hair whose model pixels there are all mixed
     * with the skin and the background); else the pair of groups whose mix the colour is, within {@link #FULL_FIT},
     * one of them within {@link #PAIR_NEAR} of the cell, gives that mix of their changes (the antialiased outline at
     * this size). False when neither fits: the caller decides (a glasses frame thinner than a model pixel, beside hair
     * nearly as dark, keeps its colour).
     */
    private static boolean unmatched(double[] own, Palette palette, double[] d, double[] e) {
        double[][] colour = palette.colour();
        double[][] change = palette.change();
        double[] nearest = palette.nearest();
        int groups = palette.size();
        double bestOne = FAR_MATCH;
        int one = -1;
        for (int g = 0; g < groups; g++) {
            double r = Math.sqrt(squared(own, colour[g], colour[g], 0));
            if (r < bestOne) {
                bestOne = r;
                one = g;
            }
        }
        double bestPair = FULL_FIT * FULL_FIT;
        double share = 0;
        int ga = -1;
        int gb = -1;
        for (int i = 0; one < 0 && i < groups; i++) {
            for (int j = i + 1; j < groups; j++) {
                double l = squared(colour[i], colour[j], colour[j], 0);
                if (l <= 0 || Math.min(nearest[i], nearest[j]) > PAIR_NEAR * PAIR_NEAR) {
                    continue;
                }
                double t = 0;
                for (int c = 0; c < 3; c++) {
                    t += (own[c] - colour[j][c]) * (colour[i][c] - colour[j][c]);
                }
                double s = Math.max(0, Math.min(1, t / l));
                double r = squared(own, colour[j], colour[i], s);
                if (r < bestPair) {
                    bestPair = r;
                    share = s;
                    ga = i;
                    gb = j;
                }
            }
        }
        if (one < 0 && ga < 0) {
            return false;
        }
        for (int c = 0; c < 3; c++) {
            d[c] = one >= 0 ? change[one][c] : share * change[ga][c] + (1 - share) * change[gb][c];
            e[c] = own[c] + d[c];
        }
        return true;
    }

    /** The {@link Palette} of the cell of model coordinates (sx, sy), made on first use. */
    private static Palette palette(Palette[] palettes, float[] y, float[] edited, boolean[] flat, int offset, int res,
            double sx, double sy) {
        int fx = Math.max(0, Math.min(res - 1, (int) Math.floor(sx)));
        int fy = Math.max(0, Math.min(res - 1, (int) Math.floor(sy)));
        int cell = fy * res + fx;
        if (palettes[cell] == null) {
            palettes[cell] = Palette.around(y, edited, flat, offset, res, fx, fy);
        }
        return palettes[cell];
    }

    /** Squared distance of colour p from b + s (a - b). */
    private static double squared(double[] p, double[] b, double[] a, double s) {
        double r = 0;
        for (int c = 0; c < 3; c++) {
            double o = p[c] - b[c] - s * (a[c] - b[c]);
            r += o * o;
        }
        return r;
    }

    /** Distance between colour a and the colour of planar pixel i. */
    private static double distance(double[] a, float[] y, int i, int hw) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
            double d = a[c] - y[i + c * hw];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * {@link Mode#LEARNED}'s output over {@code box} of {@code original} (placed at (ox, oy) in a square of edge
     * {@code side}), 3 x box height x box width in [-1, 1]: the edit upsampled and refined by the upsampler, which
     * does not see the original where {@code mask} is open. Above {@link #LEARNED_MAX_SCALE} times the model's
     * resolution the upsampler runs on the image shrunk to that size and its result is enlarged bilinearly.
     */
    private static float[] carried(BufferedImage original, float[] edited, int offset, int res, float[] mask, int[] box,
            int side, int ox, int oy, GuidedUpsampler upsampler) {
        int bw = box[2] - box[0];
        int bh = box[3] - box[1];
        int most = LEARNED_MAX_SCALE * res;
        if (side <= most) {
            int hw = res * res;
            float[] learned = upsampled(edited, offset, res, side, ox, oy, box[0], box[1], bw, bh);
            float[] mask3 = new float[3 * hw];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(mask, 0, mask3, c * hw, hw);
            }
            float[] fine = Arrays.copyOf(upsampled(mask3, 0, res, side, ox, oy, box[0], box[1], bw, bh), bw * bh);
            upsampler.refine(original.getSubimage(box[0], box[1], bw, bh), learned, fine, (double) side / res);
            return learned;
        }
        int w = original.getWidth();
        int h = original.getHeight();
        double f = most / (double) side;
        int ws = Math.max(1, (int) Math.round(w * f));
        int hs = Math.max(1, (int) Math.round(h * f));
        int sides = Math.max(ws, hs);
        int oxs = (sides - ws) / 2;
        int oys = (sides - hs) / 2;
        int[] bs = box(mask, res, sides, oxs, oys, ws, hs);
        if (bs == null) {
            return upsampled(edited, offset, res, side, ox, oy, box[0], box[1], bw, bh);
        }
        float[] small = carried(ImageTensors.resize(original, ws, hs), edited, offset, res, mask, bs, sides, oxs, oys,
                upsampler);
        int bws = bs[2] - bs[0];
        int bhs = bs[3] - bs[1];
        float[] out = new float[3 * bw * bh];
        for (int y = 0; y < bh; y++) {
            double v = Math.max(0, Math.min(bhs - 1, (box[1] + y + 0.5) * hs / h - 0.5 - bs[1]));
            int y0 = (int) v;
            int y1 = Math.min(bhs - 1, y0 + 1);
            double ty = v - y0;
            for (int x = 0; x < bw; x++) {
                double u = Math.max(0, Math.min(bws - 1, (box[0] + x + 0.5) * ws / w - 0.5 - bs[0]));
                int x0 = (int) u;
                int x1 = Math.min(bws - 1, x0 + 1);
                double tx = u - x0;
                for (int c = 0; c < 3; c++) {
                    int o = c * bhs;
                    double top = (1 - tx) * small[(o + y0) * bws + x0] + tx * small[(o + y0) * bws + x1];
                    double bottom = (1 - tx) * small[(o + y1) * bws + x0] + tx * small[(o + y1) * bws + x1];
                    out[(c * bh + y) * bw + x] = (float) ((1 - ty) * top + ty * bottom);
                }
            }
        }
        return out;
    }

    /**
     * The box of image pixels {x0, y0, x1, y1} (exclusive ends) around the model pixels where the mask is open,
     * widened by two model pixels and the upsampler's context; null when the mask is closed everywhere.
     */
    private static int[] box(float[] mask, int res, int side, int ox, int oy, int w, int h) {
        int mx0 = res;
        int my0 = res;
        int mx1 = -1;
        int my1 = -1;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] > 0) {
                mx0 = Math.min(mx0, p % res);
                mx1 = Math.max(mx1, p % res);
                my0 = Math.min(my0, p / res);
                my1 = Math.max(my1, p / res);
            }
        }
        if (mx1 < 0) {
            return null;
        }
        double scale = (double) side / res;
        int margin = GuidedUpsampler.HALO;
        int x0 = Math.max(0, (int) Math.floor((mx0 - 2) * scale) - ox - margin);
        int y0 = Math.max(0, (int) Math.floor((my0 - 2) * scale) - oy - margin);
        int x1 = Math.min(w, (int) Math.ceil((mx1 + 3) * scale) - ox + margin);
        int y1 = Math.min(h, (int) Math.ceil((my1 + 3) * scale) - oy + margin);
        return x1 > x0 && y1 > y0 ? new int[] {x0, y0, x1, y1} : null;
    }

    /**
     * A model-resolution image (CHW from {@code offset}) upsampled bilinearly onto image pixels [x0, x0 + w) x
     * [y0, y0 + h) of an image placed at (ox, oy) in a square of edge {@code side}: the mapping every mode uses.
     * Returns 3 x h x w.
     */
    static float[] upsampled(float[] a, int offset, int res, int side, int ox, int oy, int x0, int y0, int w, int h) {
        float[] out = new float[3 * w * h];
        int hw = res * res;
        Tap[] columns = new Tap[w];
        for (int xx = 0; xx < w; xx++) {
            columns[xx] = Tap.at(x0 + xx + ox, res, side);
        }
        for (int yy = 0; yy < h; yy++) {
            Tap ty = Tap.at(y0 + yy + oy, res, side);
            for (int xx = 0; xx < w; xx++) {
                Tap tx = columns[xx];
                for (int c = 0; c < 3; c++) {
                    out[(c * h + yy) * w + xx] = (float) bilinear(a, offset + c * hw, res, tx, ty);
                }
            }
        }
        return out;
    }

    /**
     * Where pixel {@code i} of the square (edge {@code side}) falls on the model grid: its coordinate s, the two
     * model pixels around it and the weight of the second.
     */
    private record Tap(double s, int lo, int hi, double f) {
        static Tap at(int i, int res, int side) {
            double s = clamp((i + 0.5) * res / side - 0.5, res);
            int lo = (int) Math.floor(s);
            return new Tap(s, lo, Math.min(lo + 1, res - 1), s - lo);
        }
    }

    private static double bilinear(float[] a, int base, int res, Tap x, Tap y) {
        return (1 - y.f()) * ((1 - x.f()) * a[base + y.lo() * res + x.lo()] + x.f() * a[base + y.lo() * res + x.hi()])
                + y.f() * ((1 - x.f()) * a[base + y.hi() * res + x.lo()] + x.f() * a[base + y.hi() * res + x.hi()]);
    }

    private static double clamp(double s, int res) {
        return Math.min(Math.max(s, 0), res - 1);
    }

    /**
     * The edit without its faint changes (see {@link #FAINT_FROM}) and without the changes its colour gate leaves
     * behind ({@link #colourGate}): scales {@code residual} in place and returns
     * a copy of {@code edited} whose image at {@code offset} goes with it.
     */
    static float[] onlyRealChanges(float[] residual, float[] y, float[] edited, int offset, int res) {
        int hw = res * res;
        float[] change = changeMap(residual, res);
        double strong = strongChange(change);
        float[] out = edited.clone();
        double[] gate = colourGate(change, strong, y, offset, res);
        for (int p = 0; p < hw; p++) {
            double t = strong <= 0 ? 1 : (change[p] / strong - FAINT_FROM) / (FAINT_TO - FAINT_FROM);
            t = Math.min(1, Math.max(0, t));
            float keep = (float) (smooth(t) * gate[p]);
            for (int c = 0; c < 3; c++) {
                residual[c * hw + p] *= keep;
                out[offset + c * hw + p] = y[offset + c * hw + p] + residual[c * hw + p];
            }
        }
        return out;
    }

    /** Per model pixel, the size of the change a residual (3 x res x res) makes: its largest channel, in absolute value. */
    static float[] changeMap(float[] residual, int res) {
        int hw = res * res;
        float[] change = new float[hw];
        for (int p = 0; p < hw; p++) {
            change[p] = Math.max(Math.abs(residual[p]), Math.max(Math.abs(residual[hw + p]), Math.abs(residual[2 * hw + p])));
        }
        return change;
    }

    /** An edit's strong change: the 99th percentile of its {@link #changeMap}. */
    static double strongChange(float[] change) {
        float[] sorted = change.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(change.length - 1, (int) Math.floor(0.99 * change.length))];
    }

    /** {@link #changeMap} of the image at {@code offset}: edited minus y. */
    static float[] changeMap(float[] y, float[] edited, int offset, int res) {
        int n = 3 * res * res;
        float[] residual = new float[n];
        for (int i = 0; i < n; i++) {
            residual[i] = edited[offset + i] - y[offset + i];
        }
        return changeMap(residual, res);
    }

    /**
     * The residual with the changes that only tint a pixel set to zero, for the mask of the modes that replace what the
     * edit changed ({@link Mode#BLEND}, {@link Mode#LEARNED}): there the change is added to the original instead, so the
     * original's full-resolution detail stays. A change is a tint when it is below {@link #TINT_MAX}, no pixel within
     * {@link #TINT_CLEAR} changed by {@link #TINT_MAX} or more, and the new colour is still closer to the pixel's own
     * original colour than to the original colour of every pixel within {@link #TINT_RADIUS} whose colour differs from
     * its own by more than {@link #TINT_OTHER} (a pixel with no such neighbour, on a flat area, is not a tint: faint new
     * content there is the edit's). A manipulator that draws a smile also lightens or darkens the eyes a little; replaced,
     * they came back from the model's resolution, soft (on the demo's editor 45 / 37 of 200 faces had eyes below 30 dB
     * PSNR to the input at 128 / 256 px with {@link Mode#LEARNED}, 28 / 23 with this; docs/RESULTS.md). The clearance
     * keeps a part-removed old mouth, whose strongly changed middle is next to its faint ends, replaced (without it the
     * ends of a straight mouth came back sharp beside the new smile). A change {@link #detached} from the edit's main
     * region (eyes changed apart from the mouth) is carried as a tint whatever its size.
     */
    static float[] withoutTints(float[] residual, float[] y, float[] edited, int offset, int res) {
        int hw = res * res;
        float[] change = changeMap(residual, res);
        float[] out = residual.clone();
        boolean[] apart = detached(change, res);
        for (int p = 0; p < hw; p++) {
            if (apart[p]) {
                for (int c = 0; c < 3; c++) {
                    out[c * hw + p] = 0;
                }
            }
        }
        for (int py = 0; py < res; py++) {
            for (int px = 0; px < res; px++) {
                int p = py * res + px;
                if (change[p] <= 0 || change[p] >= TINT_MAX || strongNear(change, res, px, py)) {
                    continue;
                }
                double own = distance(edited, offset + p, y, offset + p, hw);
                boolean other = false;
                boolean closerToOther = false;
                for (int qy = Math.max(0, py - TINT_RADIUS); qy <= Math.min(res - 1, py + TINT_RADIUS); qy++) {
                    for (int qx = Math.max(0, px - TINT_RADIUS); qx <= Math.min(res - 1, px + TINT_RADIUS); qx++) {
                        int q = qy * res + qx;
                        if (distance(y, offset + q, y, offset + p, hw) > TINT_OTHER) {
                            other = true;
                            closerToOther |= distance(edited, offset + p, y, offset + q, hw) <= own;
                        }
                    }
                }
                if (other && !closerToOther) {
                    for (int c = 0; c < 3; c++) {
                        out[c * hw + p] = 0;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The pixels of the changed regions that lie apart from the edit's main one: the change map's 8-connected regions of
     * pixels changed by {@link #DETACHED_FROM} or more, each weighed by its summed change; a region below
     * {@link #DETACHED_SHARE} of the largest one's is detached. A manipulator that draws a smile sometimes also changes
     * the eyes or the glasses above it by 40-90 levels in a few pixels; replaced, they came back from the model's
     * resolution smeared (the demo's editor at 256 px: 23 of 200 faces with eyes below 30 dB PSNR to the input, 17
     * once detached changes are tints). The new content an edit draws is its largest region, or joined to it.
     */
    static boolean[] detached(float[] change, int res) {
        int hw = res * res;
        int[] region = regions(res, Reach.EIGHT, p -> change[p] >= DETACHED_FROM, (seed, q) -> true);
        double[] sums = new double[hw];
        for (int p = 0; p < hw; p++) {
            if (region[p] >= 0) {
                sums[region[p]] += change[p];
            }
        }
        double largest = 0;
        for (double sum : sums) {
            largest = Math.max(largest, sum);
        }
        boolean[] apart = new boolean[hw];
        for (int p = 0; p < hw; p++) {
            apart[p] = region[p] >= 0 && sums[region[p]] < DETACHED_SHARE * largest;
        }
        return apart;
    }

    /** Which pixels around one a region grows to. */
    enum Reach {
        /** Its 8 neighbours. */
        EIGHT(1),
        /** The pixels up to 2 away in both directions: across a gap of one pixel. */
        TWO(2);

        final int distance;

        Reach(int distance) {
            this.distance = distance;
        }
    }

    /** Whether pixel q joins the region grown from {@code seed}. */
    @FunctionalInterface
    interface Joins {
        boolean test(int seed, int q);
    }

    /**
     * The image's pixels (res x res) cut into connected regions: each pixel for which {@code member} holds, in reading
     * order, that no region has taken yet starts one, which grows to the pixels within its {@code reach} that
     * are members, not yet taken and {@code joins} the seed. Returns each pixel's region, numbered from 0 in the order
     * of their seeds, or -1 for a pixel that is not a member.
     */
    static int[] regions(int res, Reach reach, IntPredicate member, Joins joins) {
        int hw = res * res;
        int[] region = new int[hw];
        Arrays.fill(region, -1);
        int[] stack = new int[hw];
        int count = 0;
        for (int seed = 0; seed < hw; seed++) {
            if (region[seed] >= 0 || !member.test(seed)) {
                continue;
            }
            int id = count++;
            int top = 0;
            stack[top++] = seed;
            region[seed] = id;
            while (top > 0) {
                int p = stack[--top];
                int px = p % res;
                int py = p / res;
                int r = reach.distance;
                for (int qy = Math.max(0, py - r); qy <= Math.min(res - 1, py + r); qy++) {
                    for (int qx = Math.max(0, px - r); qx <= Math.min(res - 1, px + r); qx++) {
                        int q = qy * res + qx;
                        if (region[q] < 0 && member.test(q) && joins.test(seed, q)) {
                            region[q] = id;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return region;
    }

    /** Whether a pixel within {@link #TINT_CLEAR} of (px, py) changed by {@link #TINT_MAX} or more. */
    private static boolean strongNear(float[] change, int res, int px, int py) {
        for (int qy = Math.max(0, py - TINT_CLEAR); qy <= Math.min(res - 1, py + TINT_CLEAR); qy++) {
            for (int qx = Math.max(0, px - TINT_CLEAR); qx <= Math.min(res - 1, px + TINT_CLEAR); qx++) {
                if (change[qy * res + qx] >= TINT_MAX) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What {@link Mode#LEARNED} does first, at the model's resolution: it finishes what the edit removes and draws.
     * A changed pixel whose new colour is within {@link #REMOVAL_TO} of the original colour of a pixel within
     * {@link #REMOVAL_RADIUS} (the skin around a mouth the edit took away, or the red of the old mouth next to a new
     * one), and closer to it than to its own original colour by at least {@link #REMOVAL_MARGIN}, takes that colour:
     * whole up to {@link #REMOVAL_FROM}, in part beyond. A manipulator removes a frown to a skin a few levels off (a
     * pale, pink or olive patch, which the upsampler draws as a sharp-edged patch at full size) and draws the new
     * mouth a little off the image's own red; both take the image's own colours. A faint change (the smile's faint
     * ends on the skin) stays, since it is no closer to the colours around it than to its own original. Distances
     * are Euclidean over the three channels in [-1, 1] units.
     */
    static float[] finishRemovals(float[] y, float[] edited, int offset, int res) {
        int hw = res * res;
        float[] out = edited.clone();
        for (int py = 0; py < res; py++) {
            for (int px = 0; px < res; px++) {
                int p = py * res + px;
                double change = 0;
                for (int c = 0; c < 3; c++) {
                    change = Math.max(change, Math.abs(edited[offset + c * hw + p] - y[offset + c * hw + p]));
                }
                if (change < REMOVAL_CHANGED) {
                    continue;
                }
                double best = Double.MAX_VALUE;
                int nearest = -1;
                for (int qy = Math.max(0, py - REMOVAL_RADIUS); qy <= Math.min(res - 1, py + REMOVAL_RADIUS); qy++) {
                    for (int qx = Math.max(0, px - REMOVAL_RADIUS); qx <= Math.min(res - 1, px + REMOVAL_RADIUS); qx++) {
                        int q = qy * res + qx;
                        if (q != p) {
                            double d = distance(edited, offset + p, y, offset + q, hw);
                            if (d < best) {
                                best = d;
                                nearest = q;
                            }
                        }
                    }
                }
                if (nearest < 0 || best >= REMOVAL_TO
                        || distance(edited, offset + p, y, offset + p, hw) < best + REMOVAL_MARGIN) {
                    continue;
                }
                float w = (float) Math.min(1, (REMOVAL_TO - best) / (REMOVAL_TO - REMOVAL_FROM));
                for (int c = 0; c < 3; c++) {
                    int i = offset + c * hw;
                    out[i + p] = w * y[i + nearest] + (1 - w) * edited[i + p];
                }
            }
        }
        return out;
    }

    /**
     * What {@link Mode#EDGE_AWARE} does first, at the model's resolution (so at every size): the edit without its faint
     * changes and the changes its colour gate leaves behind ({@link #onlyRealChanges}), then made consistent
     * ({@link #consistentColours}) and carried over whole regions ({@link #wholeRegions}), its border finished
     * ({@link #unmixedBorders}). Returns a copy of {@code edited} with the image at {@code offset} replaced.
     */
    static float[] consistentRecolour(float[] y, float[] edited, int offset, int res) {
        return consistentRecolour(y, edited, offset, res, NO_TARGETS);
    }

    /** As {@link #consistentRecolour(float[], float[], int, int)}, regions recoloured whole given target colours. */
    static float[] consistentRecolour(float[] y, float[] edited, int offset, int res, float[] targets) {
        int hw = res * res;
        float[] residual = new float[3 * hw];
        for (int i = 0; i < residual.length; i++) {
            residual[i] = edited[offset + i] - y[offset + i];
        }
        float[] consistent = consistentColours(y, onlyRealChanges(residual, y, edited, offset, res), offset, res);
        return unmixedBorders(y, wholeRegions(y, consistent, offset, res, targets), offset, res);
    }

    /**
     * A recolour's border finished as a renderer draws it: a pixel whose original colour is a mix of a recoloured
     * colour A and a kept colour B around it (an antialiased pixel of the hair's outline, share s of hair over the
     * background) becomes its original plus s times A's change, the same mix of the new colour and B. A manipulator
     * leaves such pixels half done or dark (specks along the hair's outline, the old colour at the ends of its
     * sides); {@link #consistentColours} does not reach them, since no recoloured pixel has their colour. Each pixel
     * next to a recoloured one and not in a flat area of the original ({@link #flat}: the skin beside dark hair may
     * have the colour of a mix of that hair and a light background) is explained by the best pair of its 8
     * neighbours, a recoloured ({@link #BORDER_CHANGED}) and a kept ({@link #BORDER_KEPT}) one. Only a mix that fits
     * within {@link #BORDER_FIT} with a share in [1 - {@link #BORDER_PURE}, {@link #BORDER_PURE}] is changed, and not
     * when a kept pixel there has A's colour ({@link #BORDER_TWIN}): a glasses frame as dark as the hair beside it
     * mixes with the skin as the hair does. Returns a copy of {@code edited}.
     */
    static float[] unmixedBorders(float[] y, float[] edited, int offset, int res) {
        int hw = res * res;
        float[] change = changeMap(y, edited, offset, res);
        float[] out = edited.clone();
        double[] mix = new double[2];
        for (int p = 0; p < hw; p++) {
            int px = p % res;
            int py = p / res;
            int x0 = Math.max(0, px - 1);
            int x1 = Math.min(res - 1, px + 1);
            int y0 = Math.max(0, py - 1);
            int y1 = Math.min(res - 1, py + 1);
            boolean nextToChanged = false;
            for (int qy = y0; qy <= y1 && !nextToChanged; qy++) {
                for (int qx = x0; qx <= x1; qx++) {
                    int q = qy * res + qx;
                    if (q != p && change[q] >= BORDER_CHANGED) {
                        nextToChanged = true;
                        break;
                    }
                }
            }
            if (!nextToChanged || flat(y, offset, res, px, py)) {
                continue;
            }
            double best = Double.MAX_VALUE;
            double share = 0;
            int bestA = -1;
            for (int a = 0; a < 9; a++) {
                int ax = px - 1 + a % 3;
                int ay = py - 1 + a / 3;
                int qa = ay * res + ax;
                if (ax < x0 || ax > x1 || ay < y0 || ay > y1 || qa == p) {
                    continue;
                }
                for (int b = 0; b < 9; b++) {
                    int bx = px - 1 + b % 3;
                    int by = py - 1 + b / 3;
                    int qb = by * res + bx;
                    if (bx < x0 || bx > x1 || by < y0 || by > y1 || qb == p || qb == qa) {
                        continue;
                    }
                    if (change[qa] < BORDER_CHANGED || change[qb] >= BORDER_KEPT) {
                        continue;
                    }
                    double r = onSegment(y, offset, hw, p, qa, qb, mix);
                    if (mix[1] >= BORDER_APART && mix[0] >= 1 - BORDER_PURE && mix[0] <= BORDER_PURE && r < best) {
                        best = r;
                        share = mix[0];
                        bestA = qa;
                    }
                }
            }
            if (bestA < 0 || best > BORDER_FIT || keptTwin(y, change, offset, res, px, py, bestA)) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                int i = offset + c * hw;
                out[i + p] = (float) (y[i + p] + share * (edited[i + bestA] - y[i + bestA]));
            }
        }
        return out;
    }

    /**
     * A recolour carried over whole regions of one colour, or not at all: the original is cut into regions of pixels
     * within {@link #WHOLE_SAME} of the colour of each region's first pixel (in reading order), joined across a gap of
     * one pixel ({@link Reach#TWO}: the side of a head of hair below the fringe, set apart from the top by a model
     * pixel that mixes it with the skin, is the same hair). In a region of at least {@link #WHOLE_SMALLEST} pixels of
     * which at least {@link #WHOLE_SHARE} were recoloured ({@link #CONSISTENT_CHANGED} or more, or {@link #FAINT_TO} of
     * the edit's strong change if that is less: a faint edit as a whole is still an edit), every pixel becomes its
     * original plus the recoloured ones' mean change, each weighed by its change squared: the region takes one colour
     * instead of the manipulator's gradient across it (olive at the top of black hair, orange at its sides), and the
     * lower ends of a head of red hair, joined to the rest of it but beyond the spatial reach of
     * {@link #consistentColours}, turn with it, while an eye or a frame of the hair's colour apart from the hair is
     * another region and stays (a region the edit left exactly as it was, too). In
     * one of which fewer than {@link #KEPT_SHARE} were recoloured, every pixel gets its original colour back: a glow
     * the manipulator spilled onto the background or the skin beside the hair is left behind. A region in between
     * follows the mostly recoloured region closest to its mean colour (within {@link #WHOLE_SAME}): more of the same
     * hair. Without one it is kept as it was when the mostly recoloured regions hold {@link #WHOLE_MAIN} times as many
     * recoloured pixels as it does (a gold band the manipulator painted over the forehead, 13% of the skin, while the
     * hair turned), and left to the edit otherwise (a head of hair recoloured on fewer than half of its pixels, with
     * no other region recoloured more, is the edit's only target). Returns a copy of {@code edited}.
     */
    static float[] wholeRegions(float[] y, float[] edited, int offset, int res) {
        return wholeRegions(y, edited, offset, res, NO_TARGETS);
    }

    /**
     * As {@link #wholeRegions(float[], float[], int, int)}, with the edit's target colours ({@code targets}: RGB
     * triples in [-1, 1], {@link org.sdd4j.core.data.TargetColours}): a mostly recoloured region whose new colour
     * (its mean original colour plus its mean change) lies within {@link #TARGET_SNAP} of one takes the nearest
     * instead, and the regions that follow it take the same change. The manipulator paints blond hair a lemon
     * yellow on some faces and a sand with a green cast on others; the data's blond is one sand.
     */
    static float[] wholeRegions(float[] y, float[] edited, int offset, int res, float[] targets) {
        if (targets.length % 3 != 0) {
            throw new IllegalArgumentException("target colours come as RGB triples, got " + targets.length
                    + " numbers");
        }
        int hw = res * res;
        float[] change = changeMap(y, edited, offset, res);
        // recoloured: as in consistentColours, or a quarter of the edit's strong change when the whole edit is faint
        double recoloured = Math.min(CONSISTENT_CHANGED, FAINT_TO * strongChange(change));
        int[] region = regions(res, Reach.TWO, p -> true,
                (seed, q) -> distance(y, offset + q, y, offset + seed, hw) < WHOLE_SAME);
        int[] size = new int[hw];
        int[] recolouredCount = new int[hw];
        double[] mean = new double[3 * hw];
        double[] weight = new double[hw];
        for (int p = 0; p < hw; p++) {
            int r = region[p];
            size[r]++;
            if (change[p] >= recoloured) {
                recolouredCount[r]++;
                double w = change[p] * change[p];
                weight[r] += w;
                for (int c = 0; c < 3; c++) {
                    mean[3 * r + c] += w * (edited[offset + c * hw + p] - y[offset + c * hw + p]);
                }
            }
        }
        boolean[] mostlyRecoloured = new boolean[hw];
        for (int r = 0; r < hw; r++) {
            mostlyRecoloured[r] = size[r] >= WHOLE_SMALLEST && recolouredCount[r] >= WHOLE_SHARE * size[r]
                    && weight[r] > 0;
        }
        // each region's mean original colour, and the recoloured pixels of the mostly recoloured regions
        double[] colour = new double[3 * hw];
        int mostly = 0;
        for (int p = 0; p < hw; p++) {
            int r = region[p];
            if (mostlyRecoloured[r] && change[p] >= recoloured) {
                mostly++;
            }
            for (int c = 0; c < 3; c++) {
                colour[3 * r + c] += y[offset + c * hw + p] / size[r];
            }
        }
        int[] main = IntStream.range(0, hw).filter(m -> mostlyRecoloured[m]).toArray();
        for (int m : main) {
            int t = nearestTarget(targets, colour, mean, weight[m], m);
            for (int c = 0; t >= 0 && c < 3; c++) {
                mean[3 * m + c] = (targets[3 * t + c] - colour[3 * m + c]) * weight[m];
            }
        }
        int[] follows = new int[hw]; // the region whose change a region takes, -1 none (left to the edit), -2 kept
        for (int r = 0; r < hw; r++) {
            int n = size[r];
            int k = recolouredCount[r];
            if (n < WHOLE_SMALLEST) {
                follows[r] = -1;
            } else if (k < KEPT_SHARE * n) {
                follows[r] = -2;
            } else if (k >= WHOLE_SHARE * n) {
                follows[r] = mostlyRecoloured[r] ? r : -1;
            } else {
                follows[r] = mostly >= WHOLE_MAIN * k ? -2 : -1;
                double best = WHOLE_SAME;
                for (int m : main) {
                    double d2 = 0;
                    for (int c = 0; c < 3; c++) {
                        double dc = colour[3 * r + c] - colour[3 * m + c];
                        d2 += dc * dc;
                    }
                    if (Math.sqrt(d2) < best) {
                        best = Math.sqrt(d2);
                        follows[r] = m;
                    }
                }
            }
        }
        float[] out = edited.clone();
        for (int p = 0; p < hw; p++) {
            int m = follows[region[p]];
            for (int c = 0; c < 3; c++) {
                int i = offset + c * hw + p;
                if (m == -2) {
                    out[i] = y[i];
                } else if (m >= 0) {
                    out[i] = (float) (y[i] + mean[3 * m + c] / weight[m]);
                }
            }
        }
        return out;
    }

    /**
     * The target colour nearest to region {@code m}'s new colour (its mean original {@code colour} plus its summed
     * change {@code mean} over {@code weight}) if within {@link #TARGET_SNAP}, else -1.
     */
    private static int nearestTarget(float[] targets, double[] colour, double[] mean, double weight, int m) {
        int best = -1;
        double nearest = TARGET_SNAP;
        for (int t = 0; t < targets.length / 3; t++) {
            double d2 = 0;
            for (int c = 0; c < 3; c++) {
                double dc = colour[3 * m + c] + mean[3 * m + c] / weight - targets[3 * t + c];
                d2 += dc * dc;
            }
            if (Math.sqrt(d2) < nearest) {
                nearest = Math.sqrt(d2);
                best = t;
            }
        }
        return best;
    }

    /**
     * Whether (px, py) lies in a flat area of the original: at least 3 of its 4 neighbours (the image's edge counting
     * as one) within {@link #BORDER_FLAT} of its colour. A pixel on a straight border has 2 (its neighbours along
     * the border, mixes like itself), one on a curved border fewer.
     */
    private static boolean flat(float[] y, int offset, int res, int px, int py) {
        int hw = res * res;
        int p = py * res + px;
        int same = 0;
        for (int k = 0; k < 4; k++) {
            int qx = px + (k == 0 ? -1 : k == 1 ? 1 : 0);
            int qy = py + (k == 2 ? -1 : k == 3 ? 1 : 0);
            if (qx < 0 || qy < 0 || qx >= res || qy >= res
                    || distance(y, offset + p, y, offset + qy * res + qx, hw) < BORDER_FLAT) {
                same++;
            }
        }
        return same >= 3;
    }

    /**
     * Distance of pixel p's original colour from the segment between those of a and b; into {@code mix} the share of
     * a at the nearest point (clamped to [0, 1]) and the distance between a's and b's colours.
     */
    private static double onSegment(float[] y, int offset, int hw, int p, int a, int b, double[] mix) {
        double l = 0;
        double t = 0;
        for (int c = 0; c < 3; c++) {
            double d = y[offset + c * hw + a] - y[offset + c * hw + b];
            l += d * d;
            t += (y[offset + c * hw + p] - y[offset + c * hw + b]) * d;
        }
        double s = l > 0 ? Math.max(0, Math.min(1, t / l)) : 0;
        double r = 0;
        for (int c = 0; c < 3; c++) {
            double e = y[offset + c * hw + p] - y[offset + c * hw + b]
                    - s * (y[offset + c * hw + a] - y[offset + c * hw + b]);
            r += e * e;
        }
        mix[0] = s;
        mix[1] = Math.sqrt(l);
        return Math.sqrt(r);
    }

    /** Whether a kept pixel among (px, py) and its 8 neighbours has a's colour ({@link #BORDER_TWIN}). */
    private static boolean keptTwin(float[] y, float[] change, int offset, int res, int px, int py, int a) {
        int hw = res * res;
        for (int qy = Math.max(0, py - 1); qy <= Math.min(res - 1, py + 1); qy++) {
            for (int qx = Math.max(0, px - 1); qx <= Math.min(res - 1, px + 1); qx++) {
                int q = qy * res + qx;
                if (change[q] >= BORDER_KEPT) {
                    continue;
                }
                if (distance(y, offset + q, y, offset + a, hw) < BORDER_TWIN) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A recolour made consistent: a pixel within {@link #CONSISTENT_REACH} of the pixels the edit changed (by
     * {@link #CONSISTENT_CHANGED} or more in a channel) takes the mean new colour of the changed pixels whose original
     * colour is its own, each weighed by its change squared (the pixels the edit recoloured most speak for it, not
     * those it barely touched), by the share of the pixels of its colour around it that changed: whole from
     * {@link #CONSISTENT_SHARE_TO}, none below {@link #CONSISTENT_SHARE_FROM}. Weights: a Gaussian of the original
     * colours' distance (spread {@link #SIGMA_RANGE}) times one of the distance (spread {@link #CONSISTENT_SPACE} of
     * the side). A manipulator recolours a region unevenly (blotches of brighter and darker gold in blond hair) and
     * recolours parts of it only a little (the dark lower sides of long black hair); every pixel of the hair's colour
     * then takes one colour, its mean over what the edit changed. A pixel of that colour further away (an eye, a
     * glasses frame as dark as the hair) is not within reach and keeps its own.
     */
    static float[] consistentColours(float[] y, float[] edited, int offset, int res) {
        int hw = res * res;
        boolean[] changed = new boolean[hw];
        double[] strength = new double[hw];
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                strength[p] = Math.max(strength[p], Math.abs(edited[offset + c * hw + p] - y[offset + c * hw + p]));
            }
            changed[p] = strength[p] >= CONSISTENT_CHANGED;
            strength[p] *= strength[p];
        }
        boolean[] near = new boolean[hw];
        for (int p = 0; p < hw; p++) {
            if (changed[p]) {
                int px = p % res;
                int py = p / res;
                for (int qy = Math.max(0, py - CONSISTENT_REACH); qy <= Math.min(res - 1, py + CONSISTENT_REACH); qy++) {
                    for (int qx = Math.max(0, px - CONSISTENT_REACH); qx <= Math.min(res - 1, px + CONSISTENT_REACH);
                            qx++) {
                        near[qy * res + qx] = true;
                    }
                }
            }
        }
        float[] out = edited.clone();
        double range = 2 * SIGMA_RANGE * SIGMA_RANGE;
        double cut = 8 * range; // colours further apart weigh below e^-8: skipped
        double[] space = spatialWeights(res - 1, CONSISTENT_SPACE * res);
        for (int p = 0; p < hw; p++) {
            if (!near[p]) {
                continue;
            }
            int px = p % res;
            int py = p / res;
            double all = 0;
            double same = 0;
            double sw = 0;
            double[] mean = new double[3];
            double pr = y[offset + p];
            double pg = y[offset + hw + p];
            double pb = y[offset + 2 * hw + p];
            for (int qy = 0; qy < res; qy++) {
                int row = Math.abs(py - qy) * res;
                for (int qx = 0; qx < res; qx++) {
                    int q = offset + qy * res + qx;
                    double dr = pr - y[q];
                    double d2 = dr * dr;
                    if (d2 > cut) {
                        continue;
                    }
                    double dg = pg - y[q + hw];
                    double db = pb - y[q + 2 * hw];
                    d2 += dg * dg + db * db;
                    if (d2 > cut) {
                        continue;
                    }
                    double w = Math.exp(-d2 / range) * space[row + Math.abs(px - qx)];
                    all += w;
                    if (changed[q - offset]) {
                        same += w;
                        double v = w * strength[q - offset];
                        sw += v;
                        for (int c = 0; c < 3; c++) {
                            mean[c] += v * edited[q + c * hw];
                        }
                    }
                }
            }
            if (same <= 0) {
                continue;
            }
            double k = smooth((same / all - CONSISTENT_SHARE_FROM) / (CONSISTENT_SHARE_TO - CONSISTENT_SHARE_FROM));
            for (int c = 0; c < 3; c++) {
                int i = offset + c * hw + p;
                out[i] = (float) (k * mean[c] / sw + (1 - k) * edited[i]);
            }
        }
        return out;
    }

    /** Euclidean distance between the colours at a[i] and b[j] of two planar (3 x hw) arrays. */
    private static double distance(float[] a, int i, float[] b, int j, int hw) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
            double d = a[i + c * hw] - b[j + c * hw];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * Per model pixel, how much of its change {@link Mode#EDGE_AWARE} keeps by the consistency of its colour: a
     * changed pixel keeps its change in full when at least {@link #GATE_TO} of the pixels of its colour around it
     * (Gaussian weights: colour spread {@link #SIGMA_RANGE}, distance {@link #GATE_SPACE} of the side) changed as
     * well, none of it below {@link #GATE_FROM}, smoothly in between. A recolour changes most of the pixels of the
     * region's colour (the hair); what the manipulator spilt onto a few pixels of another region's colour (a band of
     * the forehead's skin under the hair) is a small share of that colour and is left behind. A change is also kept
     * whole when at least {@link #GATE_MAJORITY_TO} of the changed pixels around it have its colour (none from that
     * alone below {@link #GATE_MAJORITY_FROM}): thin hair of the colour of a large unedited background is a small
     * share of its colour but most of what changed.
     */
    static double[] colourGate(float[] change, double strong, float[] y, int offset, int res) {
        int hw = res * res;
        double[] gate = new double[hw];
        Arrays.fill(gate, 1);
        if (strong <= 0) {
            return gate;
        }
        boolean[] changed = new boolean[hw];
        for (int q = 0; q < hw; q++) {
            changed[q] = change[q] >= FAINT_TO * strong;
        }
        double sigmaSpace = GATE_SPACE * res;
        int radius = (int) Math.min(Math.ceil(3 * sigmaSpace), GATE_RADIUS);
        double cut = 16 * SIGMA_RANGE * SIGMA_RANGE; // colours further apart weigh below e^-8: skipped
        double[] space = spatialWeights(radius, sigmaSpace);
        for (int p = 0; p < hw; p++) {
            if (!changed[p]) {
                continue; // a faint or no change: left to the faint threshold alone
            }
            int px = p % res;
            int py = p / res;
            double all = 0;
            double same = 0;
            double changedNear = 0;
            for (int qy = Math.max(0, py - radius); qy <= Math.min(res - 1, py + radius); qy++) {
                for (int qx = Math.max(0, px - radius); qx <= Math.min(res - 1, px + radius); qx++) {
                    int q = qy * res + qx;
                    double near = space[Math.abs(py - qy) * (radius + 1) + Math.abs(px - qx)];
                    if (changed[q]) {
                        changedNear += near;
                    }
                    double d2 = 0;
                    for (int c = 0; c < 3 && d2 <= cut; c++) {
                        double d = y[offset + c * hw + p] - y[offset + c * hw + q];
                        d2 += d * d;
                    }
                    if (d2 > cut) {
                        continue;
                    }
                    double w = Math.exp(-d2 / (2 * SIGMA_RANGE * SIGMA_RANGE)) * near;
                    all += w;
                    if (changed[q]) {
                        same += w;
                    }
                }
            }
            // kept when most pixels of its colour around it changed, or when most changed pixels around it have its
            // colour (a thin region of a colour it shares with a large unedited one: hair before a dark background)
            gate[p] = Math.max(smooth((same / all - GATE_FROM) / (GATE_TO - GATE_FROM)),
                    smooth((same / changedNear - GATE_MAJORITY_FROM) / (GATE_MAJORITY_TO - GATE_MAJORITY_FROM)));
        }
        return gate;
    }

    /** Gaussian weights (spread {@code sigma}) of the offsets up to {@code radius} each way, by |dy| * (radius + 1) + |dx|. */
    private static double[] spatialWeights(int radius, double sigma) {
        double[] w = new double[(radius + 1) * (radius + 1)];
        for (int dy = 0; dy <= radius; dy++) {
            for (int dx = 0; dx <= radius; dx++) {
                w[dy * (radius + 1) + dx] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            }
        }
        return w;
    }

    /** Smoothstep of t clipped to [0, 1]. */
    private static double smooth(double t) {
        double c = Math.min(1, Math.max(0, t));
        return c * c * (3 - 2 * c);
    }

    /** Where the manipulator edited: max over channels of |residual| / TAU, clipped, widened by one pixel, softened. */
    static float[] mask(float[] residual, int res) {
        return mask(residual, res, TAU);
    }

    /** As {@link #mask(float[], int)}, with a pixel counting as fully edited from {@code tau}. */
    static float[] mask(float[] residual, int res, float tau) {
        float[] m0 = changeMap(residual, res);
        for (int p = 0; p < m0.length; p++) {
            m0[p] = Math.min(1f, m0[p] / tau);
        }
        return neighbourhood(neighbourhood(m0, res, true), res, false);
    }

    /**
     * A square res x res map with each pixel replaced by the largest ({@code max}) or the mean of itself and its
     * neighbours inside the image: widens a mask by one pixel, or softens it.
     */
    static float[] neighbourhood(float[] in, int res, boolean max) {
        float[] out = new float[res * res];
        for (int y = 0; y < res; y++) {
            for (int x = 0; x < res; x++) {
                float acc = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < res && xx >= 0 && xx < res) {
                            float v = in[yy * res + xx];
                            acc = max ? Math.max(acc, v) : acc + v;
                            n++;
                        }
                    }
                }
                out[y * res + x] = max ? acc : acc / n;
            }
        }
        return out;
    }
}
