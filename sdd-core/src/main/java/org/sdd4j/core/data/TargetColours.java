package org.sdd4j.core.data;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.sdd4j.api.TrainingData;

/**
 * The colours that tell a training set's images of the edit's target from the rest: colours that cover at least
 * {@link #MIN_SHARE} of the pixels of the images whose caption shows the target ({@code --keep-captions}) and at least
 * {@link #MIN_RATIO} times the share they cover in the other images. In FaceWorld "blond" names one such colour, the
 * sand of blond hair (6.1% of the pixels of faces captioned blond, 0.4% of the others', whose blond faces are not all
 * captioned so); the skin, backgrounds and the red of a mouth are as common in both, so "smiling" names none. On
 * photographs a colour rarely covers 1% of the pixels to within {@link #BIN_BITS} bits, so they give few or none.
 * The put-back {@code EDGE_AWARE} gives a region recoloured whole the nearest of them when its new colour is close
 * (the manipulator paints blond hair a lemon yellow on some faces, a sand with a green cast on others):
 * the edit takes the data's colour for the target instead of its own guess at it.
 *
 * <p>Colours are found on at most {@link #IMAGES_EACH} images of each kind among {@link #CAPTIONS_READ} captions
 * spread over the data, at the model's resolution, in bins of {@link #BIN_BITS} bits a channel; each bin is represented
 * by its most frequent exact colour in the target's images, and one within {@link #SAME} of a more common one in every
 * channel is left out (at 16 px FaceWorld's blond also fills the next bin with mixes, (237, 206, 120)). It takes 2.5 s
 * on FaceWorld at 32 px.
 */
public final class TargetColours {

    /** Smallest share of the target images' pixels a target colour covers. */
    static final double MIN_SHARE = 0.01;
    /** How many times its share of the other images' pixels a target colour covers in the target's. */
    static final double MIN_RATIO = 5;
    /** Bits a channel of the colour bins. */
    static final int BIN_BITS = 5;
    /** Most images read of each kind (target, other). */
    public static final int IMAGES_EACH = 1000;
    /** Most captions read, evenly spaced over the data (a million-image world is not read whole). */
    static final int CAPTIONS_READ = 20_000;
    /** Channel difference (0-255) within which a colour is a shade of a more common one and not kept. */
    static final int SAME = 16;
    /** Most target colours kept, the most common first. */
    static final int MAX_COLOURS = 8;

    private TargetColours() {}

    /**
     * The target colours of a training set, the most common first (0-255 RGB triples).
     *
     * @param data the training data
     * @param target the captions that show the edit's target (found anywhere in the caption)
     * @param resolution the model's resolution (images are resized to it, as the distiller sees them)
     * @return the colours; empty when the data has no image of one kind or no colour tells them apart
     */
    public static List<int[]> of(TrainingData data, Pattern target, int resolution) {
        List<Integer> shown = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        long step = data.size() <= CAPTIONS_READ ? 1 : data.size() / CAPTIONS_READ;
        for (long i = 0; i < data.size(); i += step) {
            (target.matcher(data.caption((int) i)).find() ? shown : other).add((int) i);
        }
        if (shown.isEmpty() || other.isEmpty()) {
            return List.of();
        }
        int bins = 1 << (3 * BIN_BITS);
        long[] inShown = new long[bins];
        long[] inOther = new long[bins];
        List<int[]> shownImages = new ArrayList<>();
        long shownPixels = count(data, spread(shown), resolution, inShown, shownImages);
        long otherPixels = count(data, spread(other), resolution, inOther, null);
        List<Integer> distinct = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            double s = (double) inShown[b] / shownPixels;
            if (s >= MIN_SHARE && s >= MIN_RATIO * inOther[b] / otherPixels) {
                distinct.add(b);
            }
        }
        distinct.sort(Comparator.comparingLong((Integer b) -> inShown[b]).reversed());
        // exact colours only in the distinct bins: a photograph's pixels are nearly all different colours
        java.util.Set<Integer> wanted = new java.util.HashSet<>(distinct);
        Map<Integer, Long> exact = new HashMap<>();
        for (int[] pixels : shownImages) {
            for (int p : pixels) {
                int rgb = p & 0xFFFFFF;
                if (wanted.contains(bin(rgb))) {
                    exact.merge(rgb, 1L, Long::sum);
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int b : distinct) {
            if (out.size() == MAX_COLOURS) {
                break;
            }
            int best = -1;
            long most = 0;
            for (Map.Entry<Integer, Long> e : exact.entrySet()) {
                if (bin(e.getKey()) == b && e.getValue() > most) {
                    most = e.getValue();
                    best = e.getKey();
                }
            }
            int[] colour = {(best >> 16) & 0xFF, (best >> 8) & 0xFF, best & 0xFF};
            if (out.stream().noneMatch(kept -> Math.abs(kept[0] - colour[0]) <= SAME && Math.abs(kept[1] - colour[1])
                    <= SAME && Math.abs(kept[2] - colour[2]) <= SAME)) {
                out.add(colour); // not a shade of a more common one (a mix of it at a bin's edge)
            }
        }
        return out;
    }

    /** At most {@link #IMAGES_EACH} of the indices, evenly spaced. */
    private static List<Integer> spread(List<Integer> indices) {
        int n = Math.min(IMAGES_EACH, indices.size());
        List<Integer> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(indices.get((int) ((long) k * indices.size() / n)));
        }
        return out;
    }

    /**
     * Counts the images' pixels into colour bins; the total. With {@code kept}, each image's pixels are kept there too
     * (at most {@link #IMAGES_EACH} images at the model's resolution: 4 MB at 32 px).
     */
    private static long count(TrainingData data, List<Integer> indices, int resolution, long[] bins,
            List<int[]> kept) {
        long total = 0;
        for (int i : indices) {
            BufferedImage img = ImageTensors.resize(ImageTensors.toRgb(data.get(i).image()), resolution, resolution);
            int[] pixels = ImageTensors.pixels(img);
            for (int p : pixels) {
                bins[bin(p & 0xFFFFFF)]++;
                total++;
            }
            if (kept != null) {
                kept.add(pixels);
            }
        }
        return total;
    }

    private static int bin(int rgb) {
        int shift = 8 - BIN_BITS;
        int r = ((rgb >> 16) & 0xFF) >> shift;
        int g = ((rgb >> 8) & 0xFF) >> shift;
        int b = (rgb & 0xFF) >> shift;
        return (r << (2 * BIN_BITS)) | (g << BIN_BITS) | b;
    }
}
