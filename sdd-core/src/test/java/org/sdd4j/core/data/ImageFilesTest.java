package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        // a 16000 x 16000 PNG of one colour is small on disk but 256 megapixels decoded
        BufferedImage img = new BufferedImage(16000, 16000, BufferedImage.TYPE_BYTE_BINARY);
        Path png = dir.resolve("huge.png");
        ImageIO.write(img, "png", png.toFile());
        img = null;
        System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "100000000");
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> ImageFiles.read(png)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("16000 x 16000").hasMessageContaining("limit is 100.0 megapixels")
                    .hasMessageContaining("-Xmx");
            // refused from the header: far faster than decoding 256 megapixels
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
        } finally {
            System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
        }
    }

    @Test
    void theDefaultLimitFollowsTheHeap() {
        assertThat(ImageFiles.maxPixels()).isEqualTo(Runtime.getRuntime().maxMemory() / ImageFiles.BYTES_PER_PIXEL);
    }

    @Test
    void emptyCorruptAndFolderInputsSayWhatIsWrong() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> ImageFiles.read(empty)).hasMessageContaining("empty (0 bytes)");
        Path text = dir.resolve("text.png");
        Files.writeString(text, "not an image at all");
        assertThatThrownBy(() -> ImageFiles.read(text)).hasMessageContaining("not a readable image");
        assertThatThrownBy(() -> ImageFiles.read(dir)).hasMessageContaining("is a folder");
        assertThatThrownBy(() -> ImageFiles.read(dir.resolve("missing.png"))).hasMessageContaining("no such file");
    }

    @Test
    void cmykJpegsAreRefusedInsteadOfWashedOut() throws Exception {
        // a minimal JPEG header: SOI, APP14 "Adobe", SOF0 with four components
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0xFF, (byte) 0xD8});
        b.write(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2});
        b.write(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 20, 8, 0, 16, 0, 16, 4,
            1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0});
        Path jpg = dir.resolve("cmyk.jpg");
        Files.write(jpg, b.toByteArray());
        assertThat(ImageFiles.jpegComponents(Files.newInputStream(jpg))).isEqualTo(4);
        assertThatThrownBy(() -> ImageFiles.read(jpg)).hasMessageContaining("CMYK");
        // an ordinary RGB JPEG reads
        Path rgb = dir.resolve("rgb.jpg");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpg", rgb.toFile());
        assertThat(ImageFiles.jpegComponents(Files.newInputStream(rgb))).isEqualTo(3);
        assertThat(ImageFiles.read(rgb).getWidth()).isEqualTo(8);
    }

    @Test
    void eachExifOrientationPutsTheStoredRowsWhereTheStandardSays() {
        int w = 3;
        int h = 2;
        BufferedImage stored = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                stored.setRGB(x, y, 0x010000 * (10 * y + x + 1));
            }
        }
        // EXIF 2.3, tag 0x0112: the visual side where the stored 0th row lies, and where its 0th column lies
        String[][] sides = {null, {"top", "left"}, {"top", "right"}, {"bottom", "right"}, {"bottom", "left"},
            {"left", "top"}, {"right", "top"}, {"right", "bottom"}, {"left", "bottom"}};
        for (int o = 1; o <= 8; o++) {
            BufferedImage up = ImageFiles.upright(stored, o);
            boolean rowsAcross = sides[o][0].equals("top") || sides[o][0].equals("bottom");
            assertThat(up.getWidth()).as("orientation %d", o).isEqualTo(rowsAcross ? w : h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int vx;
                    int vy;
                    if (rowsAcross) {
                        vx = sides[o][1].equals("left") ? x : w - 1 - x;
                        vy = sides[o][0].equals("top") ? y : h - 1 - y;
                    } else {
                        vx = sides[o][0].equals("left") ? y : h - 1 - y;
                        vy = sides[o][1].equals("top") ? x : w - 1 - x;
                    }
                    assertThat(up.getRGB(vx, vy) & 0xFFFFFF).as("orientation %d, stored (%d, %d)", o, x, y)
                            .isEqualTo(stored.getRGB(x, y) & 0xFFFFFF);
                }
            }
        }
        assertThat(ImageFiles.upright(stored, 1)).isSameAs(stored);
    }

    @Test
    void aPhotoStoredSidewaysWithAnExifOrientationIsReadUpright() throws Exception {
        // stored 64 x 32: red on the left, blue on the right; orientation 6 asks viewers to turn it a quarter clockwise,
        // which puts the stored left side at the top
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                stored.setRGB(x, y, x < 32 ? 0xDD2020 : 0x2020DD);
            }
        }
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(stored, "jpg", jpg);
        byte[] turned = withExifOrientation(jpg.toByteArray(), 6);
        for (BufferedImage up : new BufferedImage[] {ImageFiles.decode(turned, "phone.jpg"),
            ImageFiles.read(Files.write(dir.resolve("phone.jpg"), turned))}) {
            assertThat(up.getWidth()).isEqualTo(32);
            assertThat(up.getHeight()).isEqualTo(64);
            assertThat((up.getRGB(16, 8) >> 16) & 0xFF).isGreaterThan(180);
            assertThat(up.getRGB(16, 56) & 0xFF).isGreaterThan(180);
        }
        // without the tag, or with metadata that cannot be read, the pixels are as stored
        assertThat(ImageFiles.decode(jpg.toByteArray(), "plain.jpg").getWidth()).isEqualTo(64);
        byte[] garbled = withExifOrientation(jpg.toByteArray(), 6);
        for (int i = 20; i < 30; i++) {
            garbled[i] = (byte) 0xEE;
        }
        assertThat(ImageFiles.decode(garbled, "garbled.jpg").getWidth()).isEqualTo(64);
    }

    /** A JPEG with an EXIF segment (APP1) recording one tag, the orientation, inserted after its start marker. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // orientation, SHORT, count 1, value
            0, 0, 0, 0}; // no next IFD
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int len = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
