package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;

class RealismTest {

    private static final FaceWorld WORLD = new FaceWorld(5, 1000, 32);

    @Test
    void theCounterfactualOfAFaceUnderItsOwnAttributesIsTheFaceItself() {
        Face f = WORLD.face(3);
        Face same = WORLD.faceWith(3, WORLD.attributes(3));
        Realism r = Realism.measure(EditTarget.SMILING, List.of(f), List.of(same), List.of(f.image()));
        assertThat(r.psnrWhole()).isEqualTo(99.0);
        assertThat(r.psnrRegion()).isEqualTo(99.0);
        assertThat(r.meanColourError()).isZero();
        assertThat(r.spreadRatio()).isEqualTo(1.0);
    }

    @Test
    void aKnownColourShiftGivesTheExpectedStatistic() {
        Face f = WORLD.face(7);
        BufferedImage shifted = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int p = f.image().getRGB(x, y);
                int r = Math.min(255, ((p >> 16) & 0xFF) + 12);
                int g = Math.max(0, ((p >> 8) & 0xFF) - 5);
                shifted.setRGB(x, y, (r << 16) | (g << 8) | (p & 0xFF));
            }
        }
        Realism r = Realism.measure(EditTarget.SMILING, List.of(f), List.of(f), List.of(shifted));
        // +12 in red and -5 in green everywhere (no clipping where the region lies): distance sqrt(144 + 25) = 13
        assertThat(r.meanColourError()).isCloseTo(13.0, within(0.5));
        assertThat(r.spreadRatio()).isCloseTo(1.0, within(0.05));
        assertThat(r.psnrRegion()).isLessThan(99.0);
    }
}
