package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageTensors;

/** Non-square images: padded as a whole, or their centred square cropped, edited and put back. */
class FramingTest {

    /** Inverts every pixel and records the sizes it was given. */
    private static final class Inverting implements Editor {
        final List<String> sizes = new ArrayList<>();

        @Override
        public Set<String> edits() {
            return Set.of("invert");
        }

        @Override
        public Image edit(Image image, String edit) {
            BufferedImage b = ImageTensors.toRgb(image);
            sizes.add(b.getWidth() + "x" + b.getHeight());
            BufferedImage o = new BufferedImage(b.getWidth(), b.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < b.getHeight(); y++) {
                for (int x = 0; x < b.getWidth(); x++) {
                    o.setRGB(x, y, ~b.getRGB(x, y) & 0xFFFFFF);
                }
            }
            return ImageFactory.getInstance().fromImage(o);
        }

        @Override
        public List<Image> edit(List<Image> images, String edit) {
            return images.stream().map(i -> edit(i, edit)).toList();
        }

        @Override
        public void close() {}
    }

    private static BufferedImage gradient(int w, int h) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 77);
            }
        }
        return b;
    }

    @Test
    void cropEditsTheCentredSquareAndLeavesTheRestAsItWas() {
        Inverting editor = new Inverting();
        BufferedImage wide = gradient(96, 64);
        BufferedImage out = Framing.edit(editor, wide, "invert", Framing.Fit.CROP);
        assertThat(editor.sizes).containsExactly("64x64");
        assertThat(out.getWidth()).isEqualTo(96);
        assertThat(out.getHeight()).isEqualTo(64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                int in = wide.getRGB(x, y) & 0xFFFFFF;
                int expected = x >= 16 && x < 80 ? ~in & 0xFFFFFF : in;
                assertThat(out.getRGB(x, y) & 0xFFFFFF).as("at %d,%d", x, y).isEqualTo(expected);
            }
        }
        // tall: the square in the middle rows
        BufferedImage tall = gradient(40, 70);
        BufferedImage t = Framing.edit(editor, tall, "invert", Framing.Fit.CROP);
        assertThat(editor.sizes).containsExactly("64x64", "40x40");
        assertThat(t.getRGB(5, 10) & 0xFFFFFF).isEqualTo(tall.getRGB(5, 10) & 0xFFFFFF);
        assertThat(t.getRGB(5, 15) & 0xFFFFFF).isEqualTo(~tall.getRGB(5, 15) & 0xFFFFFF);
        assertThat(t.getRGB(5, 55) & 0xFFFFFF).isEqualTo(tall.getRGB(5, 55) & 0xFFFFFF);
    }

    @Test
    void padAndSquareImagesGoToTheEditorWhole() {
        Inverting editor = new Inverting();
        Framing.edit(editor, gradient(96, 64), "invert", Framing.Fit.PAD);
        Framing.edit(editor, gradient(50, 50), "invert", Framing.Fit.CROP);
        assertThat(editor.sizes).containsExactly("96x64", "50x50");
        assertThat(Framing.Fit.of(" Crop")).isEqualTo(Framing.Fit.CROP);
        assertThatThrownBy(() -> Framing.Fit.of("stretch")).hasMessageContaining("unknown fit 'stretch'")
                .hasMessageContaining("pad, crop");
    }
}
