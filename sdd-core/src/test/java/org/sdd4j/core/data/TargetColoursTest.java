package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.testing.TestPictures;

class TargetColoursTest {

    private static final int SKY = 0x96BDEA;
    private static final int SAND = 0xEED078;
    private static final int INK = 0x1E1916;

    /** {@code n} images, the even ones captioned "a blond face" (the target), the odd ones "a face". */
    private static TrainingData captioned(int n, java.util.function.IntFunction<BufferedImage> image) {
        return TestPictures.data(n, image, i -> i % 2 == 0 ? "a blond face" : "a face");
    }

    /**
     * Even images show the target: a 4x4 patch of sand on the sky, and on every fourth of them one pixel of ink; odd
     * ones a patch of ink, and on every fourth of them a 2x2 patch of sand.
     */
    private static TrainingData data(int n) {
        return captioned(n, i -> {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 256; p++) {
                int x = p % 16;
                int y = p / 16;
                boolean patch = x >= 4 && x < 8 && y >= 4 && y < 8;
                boolean small = x >= 4 && x < 6 && y >= 4 && y < 6;
                int rgb = i % 2 == 0 ? (patch ? SAND : i % 8 == 0 && p == 0 ? INK : SKY)
                        : (i % 8 == 1 && small ? SAND : patch ? INK : SKY);
                img.setRGB(x, y, rgb);
            }
            return img;
        });
    }

    @Test
    void aColourCommonInTheTargetsImagesAndRareInTheOthersIsTheTargetsAndNoOtherIs() {
        // sand: 6.25% of the target's pixels, 0.4% of the others'; the sky is common to both; the ink is the others'
        // (and 0.1% of the target's, below the smallest share)
        assertThat(TargetColours.of(data(40), Pattern.compile("blond"), 16))
                .containsExactly(new int[] {0xEE, 0xD0, 0x78});
        // seen from the other side, the ink is the target's colour
        assertThat(TargetColours.of(data(40), Pattern.compile("^a face"), 16))
                .containsExactly(new int[] {0x1E, 0x19, 0x16});
    }

    @Test
    void picturesWithoutAreasOfOneColourHaveNone() {
        // every pixel its own random colour, as a photograph's nearly are: no bin holds 1% of the pixels
        TrainingData noise = captioned(40, i -> {
            java.util.SplittableRandom r = new java.util.SplittableRandom(i);
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 1024; p++) {
                img.setRGB(p % 32, p / 32, r.nextInt(1 << 24));
            }
            return img;
        });
        assertThat(TargetColours.of(noise, Pattern.compile("blond"), 32)).isEmpty();
    }

    @Test
    void withoutImagesOfBothKindsThereIsNoTargetColour() {
        assertThat(TargetColours.of(data(40), Pattern.compile("face"), 16)).isEmpty();
        assertThat(TargetColours.of(data(40), Pattern.compile("red hair"), 16)).isEmpty();
    }
}
