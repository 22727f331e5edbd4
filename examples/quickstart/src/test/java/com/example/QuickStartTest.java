package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.tck.TckFixtures;

/** The README's quick start, built against the installed artifacts only, edits a FaceWorld face. */
class QuickStartTest {

    @TempDir
    Path dir;

    @Test
    void editsAFaceAndWritesThePicture() throws Exception {
        Path bundle = TckFixtures.copy("editor", dir.resolve("editor"));
        Path face = dir.resolve("face.png");
        try (OutputStream out = Files.newOutputStream(face)) {
            TckFixtures.image("inputs/face-40.png").save(out, "png");
        }
        Path result = dir.resolve("smiling.png");
        QuickStart.main(new String[] {bundle.toString(), face.toString(), result.toString()});
        BufferedImage in = ImageIO.read(face.toFile());
        BufferedImage out = ImageIO.read(result.toFile());
        assertThat(out.getWidth()).isEqualTo(40);
        assertThat(out.getHeight()).isEqualTo(40);
        int changed = 0;
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                changed += in.getRGB(x, y) != out.getRGB(x, y) ? 1 : 0;
            }
        }
        assertThat(changed).as("pixels the edit changed").isPositive();
    }

    @Test
    void theEditingClassPathHasNoPlottingOrReportLibraries() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertThat(cp).doesNotContain("jfreechart").doesNotContain("progressbar").doesNotContain("picocli");
        assertThat(cp).contains("sdd-api").contains("sdd-backend-pytorch");
    }
}
