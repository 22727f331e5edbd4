package org.sdd4j.core.eval;

import java.awt.image.BufferedImage;
import java.util.List;
import org.sdd4j.core.data.Face;

/**
 * How close edits come to the genuine counterfactual (the same identity rendered with the target
 * attribute), averaged over images: PSNR over the whole image and over the edit region (the union of
 * the region in the original and in the counterfactual), and the colours of the edit region: the
 * distance between the mean colours of edit and counterfactual (0-255 units, Euclidean over RGB) and
 * the ratio of their spreads (standard deviation over the region's pixels and channels). PSNR is capped
 * at 99 dB (identical images).
 *
 * @param psnrWhole mean PSNR to the counterfactual over the whole image, dB
 * @param psnrRegion mean PSNR to the counterfactual over the edit region, dB
 * @param meanColourError mean distance of the region's mean colour to the counterfactual's
 * @param spreadRatio mean ratio of the region's colour spread to the counterfactual's (1 = equal)
 */
public record Realism(double psnrWhole, double psnrRegion, double meanColourError, double spreadRatio) {

    /**
     * Measures edits against counterfactuals.
     *
     * @param edit the edit (its region)
     * @param originals the unedited faces
     * @param counterfactuals the same identities with the target attribute, same size as the edits
     * @param edited the edits
     * @return the averages
     */
    public static Realism measure(EditTarget edit, List<Face> originals, List<Face> counterfactuals,
            List<BufferedImage> edited) {
        int n = edited.size();
        if (originals.size() != n || counterfactuals.size() != n) {
            throw new IllegalArgumentException(n + " edits but " + originals.size() + " originals and "
                    + counterfactuals.size() + " counterfactuals");
        }
        double whole = 0;
        double region = 0;
        double colour = 0;
        double spread = 0;
        for (int i = 0; i < n; i++) {
            BufferedImage cf = counterfactuals.get(i).image();
            BufferedImage e = edited.get(i);
            boolean[] a = edit.regionOf(originals.get(i));
            boolean[] b = edit.regionOf(counterfactuals.get(i));
            boolean[] outside = new boolean[a.length];
            for (int p = 0; p < a.length; p++) {
                outside[p] = !(a[p] || b[p]);
            }
            whole += EditMetrics.psnr(e, cf, null);
            region += EditMetrics.psnr(e, cf, outside);
            double[] se = colourStats(e, outside);
            double[] sc = colourStats(cf, outside);
            colour += Math.sqrt(sq(se[0] - sc[0]) + sq(se[1] - sc[1]) + sq(se[2] - sc[2]));
            spread += sc[3] == 0 ? (se[3] == 0 ? 1 : Double.POSITIVE_INFINITY) : se[3] / sc[3];
        }
        return new Realism(whole / n, region / n, colour / n, spread / n);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Mean R, G, B over the pixels not excluded, and the standard deviation over those pixels and channels. */
    static double[] colourStats(BufferedImage img, boolean[] exclude) {
        int w = img.getWidth();
        int[] px = org.sdd4j.core.data.ImageTensors.pixels(img);
        double[] sum = new double[3];
        long count = 0;
        for (int i = 0; i < px.length; i++) {
            if (!exclude[i]) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += (px[i] >> (16 - 8 * c)) & 0xFF;
                }
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the edit region is empty");
        }
        double[] mean = {sum[0] / count, sum[1] / count, sum[2] / count};
        double var = 0;
        for (int i = 0; i < px.length; i++) {
            if (!exclude[i]) {
                for (int c = 0; c < 3; c++) {
                    var += sq(((px[i] >> (16 - 8 * c)) & 0xFF) - mean[c]);
                }
            }
        }
        return new double[] {mean[0], mean[1], mean[2], Math.sqrt(var / (3.0 * count))};
    }
}
