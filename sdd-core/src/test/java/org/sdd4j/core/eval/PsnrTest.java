package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PsnrTest {

    @Test
    void psnrIgnoresMaskedPixelsAndMatchesTheDefinition() {
        BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        BufferedImage b = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        a.setRGB(0, 0, 0x000000);
        b.setRGB(0, 0, 0x0A0A0A); // differs by 10 in every channel
        a.setRGB(1, 0, 0x000000);
        b.setRGB(1, 0, 0xFFFFFF);
        assertThat(EditMetrics.psnr(a, b, new boolean[] {false, true}))
                .isCloseTo(10 * Math.log10(255.0 * 255.0 / 100.0), within(1e-9));
        assertThat(EditMetrics.psnr(a, a, null)).isEqualTo(99.0);
    }
}
