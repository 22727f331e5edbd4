package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The smoothing of what a learned upsampler draws: grain evens out, edges and everything outside the mask stay. */
class EdgePreservingSmoothingTest {

    private static final int W = 40;
    private static final int H = 30;

    /** A two-colour image: skin on the left, a red stroke from column 20 on, plus grain of spread {@code grain}. */
    private static float[] image(double grain, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] skin = {0.6f, 0.2f, -0.1f};
        float[] red = {0.5f, -0.8f, -0.6f};
        float[] chw = new float[3 * W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    chw[(c * H + y) * W + x] = (x < 20 ? skin[c] : red[c]) + (float) (grain * (2 * r.nextDouble() - 1));
                }
            }
        }
        return chw;
    }

    private static float[] open(int x0, int x1) {
        float[] mask = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = x0; x < x1; x++) {
                mask[y * W + x] = 1;
            }
        }
        return mask;
    }

    /** Spread of the first channel over columns [x0, x1) of the rows away from the top and bottom. */
    private static double spread(float[] chw, int x0, int x1) {
        double s = 0;
        double s2 = 0;
        int n = 0;
        for (int y = 4; y < H - 4; y++) {
            for (int x = x0; x < x1; x++) {
                double v = chw[y * W + x];
                s += v;
                s2 += v * v;
                n++;
            }
        }
        return Math.sqrt(s2 / n - (s / n) * (s / n));
    }

    @Test
    void grainWithinAColourEvensOut() {
        float[] chw = image(0.03, 1);
        double before = spread(chw, 2, 18);
        EdgePreservingSmoothing.apply(chw, W, H, open(0, W), 0.08, 4);
        // two passes of a Gaussian of 2 pixels over uniform grain: well under half of it is left
        assertThat(spread(chw, 2, 18)).isLessThan(0.35 * before);
        assertThat(spread(chw, 22, 38)).isLessThan(0.35 * before);
    }

    /** Smooths the whole of {@link #image} and checks that not one value changed. */
    private static void assertLeftAsItIs(double grain, double range, double scale) {
        float[] chw = image(grain, 1);
        float[] before = chw.clone();
        EdgePreservingSmoothing.apply(chw, W, H, open(0, W), range, scale);
        assertThat(chw).containsExactly(before);
    }

    @Test
    void anEdgeBetweenClearlyDifferentColoursStaysExactlyWhereAndAsSharpAsItWas() {
        // the two colours are far beyond the colour spread: no pixel takes anything from across the edge
        assertLeftAsItIs(0, 0.08, 8);
    }

    @Test
    void onlyPixelsInsideTheMaskChange() {
        float[] chw = image(0.03, 2);
        float[] before = chw.clone();
        EdgePreservingSmoothing.apply(chw, W, H, open(5, 15), 0.08, 4);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = (c * H + y) * W + x;
                    if (x < 5 || x >= 15) {
                        assertThat(chw[i]).isEqualTo(before[i]);
                    }
                }
            }
        }
        assertThat(Arrays.equals(chw, before)).isFalse();
    }

    @Test
    void noSpreadLeavesTheImageAsItIsAndAMismatchedMaskIsRefused() {
        assertLeftAsItIs(0.03, 0, 4);
        float[] chw = image(0.03, 3);
        assertThatThrownBy(() -> EdgePreservingSmoothing.apply(chw, W, H, new float[W * H - 1], 0.08, 4))
                .hasMessageContaining("mask");
    }
}
