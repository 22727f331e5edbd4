package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    private static BufferedImage random(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xFF000000 | r.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** The channels of packed pixels, without the top byte the fast path leaves unspecified. */
    private static int[] rgb(int[] px) {
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = px[i] & 0xFFFFFF;
        }
        return out;
    }

    @Test
    void pixelsReadWhatGetRgbReadsForEveryKindOfImageAndRectangle() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_3BYTE_BGR}) {
            BufferedImage img = random(type, 23, 17, type);
            assertThat(rgb(ImageTensors.pixels(img))).as("type " + type)
                    .containsExactly(rgb(img.getRGB(0, 0, 23, 17, null, 0, 23)));
            assertThat(rgb(ImageTensors.pixels(img, 5, 3, 7, 9))).as("type " + type + ", a rectangle")
                    .containsExactly(rgb(img.getRGB(5, 3, 7, 9, null, 0, 7)));
            // a subimage shares its parent's raster from an offset
            BufferedImage sub = img.getSubimage(4, 2, 10, 11);
            assertThat(rgb(ImageTensors.pixels(sub))).as("type " + type + ", a subimage")
                    .containsExactly(rgb(img.getRGB(4, 2, 10, 11, null, 0, 10)));
        }
    }

    @Test
    void setPixelsWritesARectangleOfAnRgbImageAndRefusesOtherKinds() {
        BufferedImage img = random(BufferedImage.TYPE_INT_RGB, 12, 12, 1);
        int[] before = img.getRGB(0, 0, 12, 12, null, 0, 12);
        int[] patch = rgb(random(BufferedImage.TYPE_INT_RGB, 4, 3, 2).getRGB(0, 0, 4, 3, null, 0, 4));
        ImageTensors.setPixels(img, 6, 8, 4, 3, patch);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                boolean inside = x >= 6 && x < 10 && y >= 8 && y < 11;
                int expected = inside ? 0xFF000000 | patch[(y - 8) * 4 + x - 6] : before[y * 12 + x];
                assertThat(img.getRGB(x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
            }
        }
        assertThatThrownBy(() -> ImageTensors.setPixels(random(BufferedImage.TYPE_3BYTE_BGR, 4, 4, 3), 0, 0, 4, 4,
                new int[16])).hasMessageContaining("TYPE_INT_RGB");
        assertThatThrownBy(() -> ImageTensors.setPixels(img, 0, 0, 4, 4, new int[15]))
                .hasMessageContaining("15 pixels for a 4x4 rectangle");
    }
}
