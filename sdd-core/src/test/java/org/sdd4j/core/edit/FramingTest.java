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
        int batches;

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
            batches++;
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

    @Test
    void aSquareAnywhereIsEditedAndTheRestLeftAsItWasWithTheEdgeRepeatedWhereItReachesBeyondTheImage() {
        Inverting editor = new Inverting();
        BufferedImage img = gradient(90, 60);
        BufferedImage out = Framing.edit(editor, img, "invert", new Framing.Square(50, 10, 30));
        assertThat(editor.sizes).containsExactly("30x30");
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 90; x++) {
                int in = img.getRGB(x, y) & 0xFFFFFF;
                boolean inside = x >= 50 && x < 80 && y >= 10 && y < 40;
                assertThat(out.getRGB(x, y) & 0xFFFFFF).as("at %d,%d", x, y).isEqualTo(inside ? ~in & 0xFFFFFF : in);
            }
        }
        // over the top-left corner: the editor sees the edge pixels repeated, only the image's part comes back
        Framing.Square corner = new Framing.Square(-5, -8, 20);
        BufferedImage seen = Framing.seen(img, corner);
        assertThat(seen.getRGB(0, 0)).isEqualTo(img.getRGB(0, 0));
        assertThat(seen.getRGB(3, 12)).isEqualTo(img.getRGB(0, 4));
        assertThat(seen.getRGB(19, 19)).isEqualTo(img.getRGB(14, 11));
        BufferedImage c = Framing.edit(editor, img, "invert", corner);
        assertThat(c.getRGB(14, 11) & 0xFFFFFF).isEqualTo(~img.getRGB(14, 11) & 0xFFFFFF);
        assertThat(c.getRGB(15, 11) & 0xFFFFFF).isEqualTo(img.getRGB(15, 11) & 0xFFFFFF);
        assertThat(c.getRGB(14, 12) & 0xFFFFFF).isEqualTo(img.getRGB(14, 12) & 0xFFFFFF);
        // larger than the image on every side
        BufferedImage all = Framing.edit(editor, img, "invert", new Framing.Square(-10, -40, 120));
        assertThat(all.getRGB(89, 59) & 0xFFFFFF).isEqualTo(~img.getRGB(89, 59) & 0xFFFFFF);
        assertThatThrownBy(() -> Framing.edit(editor, img, "invert", new Framing.Square(90, 0, 10)))
                .hasMessageContaining("10x10 at 90,0").hasMessageContaining("lies outside the 90x60 image");
        assertThatThrownBy(() -> Framing.seen(img, new Framing.Square(-20, 5, 20)))
                .hasMessageContaining("lies outside");
    }

    @Test
    void aBoxBecomesTheSquareOfItsLongerSideCentredOnIt() {
        assertThat(Framing.Square.around(10, 20, 40, 30)).isEqualTo(new Framing.Square(10, 15, 40));
        assertThat(Framing.Square.around(10, 20, 30, 40)).isEqualTo(new Framing.Square(5, 20, 40));
        assertThat(Framing.Square.parse(" 10, 20,40 ,30")).isEqualTo(new Framing.Square(10, 15, 40));
        assertThat(Framing.Square.centred(96, 64)).isEqualTo(new Framing.Square(16, 0, 64));
        assertThatThrownBy(() -> Framing.Square.parse("10,20,40")).hasMessageContaining("x,y,width,height");
        assertThatThrownBy(() -> Framing.Square.parse("10,20,4.5,30")).hasMessageContaining("whole pixels");
        assertThatThrownBy(() -> Framing.Square.parse("10,20,0,30")).hasMessageContaining("0x30");
        assertThatThrownBy(() -> new Framing.Square(0, 0, 0)).hasMessageContaining("at least 1 pixel");
    }

    @Test
    void severalSquaresAreEditedInOneCallFromThePictureAsItWasAndPutBackInOrder() {
        Inverting editor = new Inverting();
        BufferedImage img = gradient(90, 60);
        // two squares overlapping on x 30..39, y 10..29
        BufferedImage out = Framing.edit(editor, img, "invert", List.of(new Framing.Square(10, 10, 30),
                new Framing.Square(30, 0, 30)));
        assertThat(editor.batches).isEqualTo(1);
        assertThat(editor.sizes).containsExactly("30x30", "30x30");
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 90; x++) {
                int in = img.getRGB(x, y) & 0xFFFFFF;
                boolean first = x >= 10 && x < 40 && y >= 10 && y < 40;
                boolean second = x >= 30 && x < 60 && y < 30;
                // each square is the inverse of the picture as it was, the later one over the earlier
                int expected = first || second ? ~in & 0xFFFFFF : in;
                assertThat(out.getRGB(x, y) & 0xFFFFFF).as("at %d,%d", x, y).isEqualTo(expected);
            }
        }
        assertThatThrownBy(() -> Framing.edit(editor, img, "invert", List.of())).hasMessageContaining("at least one");
        assertThat(Framing.Square.parseAll("0,0,10,10; 20,5,10,20")).containsExactly(new Framing.Square(0, 0, 10),
                new Framing.Square(15, 5, 20));
        assertThatThrownBy(() -> Framing.Square.parseAll("0,0,10,10;")).hasMessageContaining("x,y,width,height");
    }
}
