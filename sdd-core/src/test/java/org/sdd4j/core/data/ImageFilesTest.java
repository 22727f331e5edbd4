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
}
