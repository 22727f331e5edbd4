package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.FaceWorld;

/** What an edit does to faces that already show its target. */
class AlreadyShownTest {

    private static BufferedImage shifted(BufferedImage a, int by) {
        BufferedImage b = new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int r = Math.min(255, ((p >> 16) & 255) + by);
                int g = Math.min(255, ((p >> 8) & 255) + by);
                int bl = Math.min(255, (p & 255) + by);
                b.setRGB(x, y, (r << 16) | (g << 8) | bl);
            }
        }
        return b;
    }

    @Test
    void anEditThatLeavesTheFacesAloneScoresTheCapAndChangesNone() {
        List<BufferedImage> in = HeldOut.images(HeldOut.facesShowing(EditTarget.SMILING, 4, 32));
        AlreadyShown a = AlreadyShown.of(in, in, new boolean[] {true, true, true, false});
        assertThat(a.psnrToInput()).isEqualTo(99.0);
        assertThat(a.changed()).isZero();
        assertThat(a.stillTarget()).isEqualTo(0.75);
    }

    @Test
    void aKnownShiftGivesItsPsnrAndCountsAsChanged() {
        // a dark face, so that no channel saturates: every pixel moves by exactly 10 levels
        BufferedImage dark = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        BufferedImage face = new FaceWorld(3, 10, 32).face(0).image();
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                dark.setRGB(x, y, (face.getRGB(x, y) >> 1) & 0x7F7F7F);
            }
        }
        AlreadyShown a = AlreadyShown.of(List.of(dark, dark), List.of(shifted(dark, 10), dark), new boolean[2]);
        // one face 20 log10(255 / 10) = 28.13 dB, the other the 99 dB cap
        assertThat(a.psnrToInput()).isCloseTo((20 * Math.log10(25.5) + 99) / 2, within(1e-9));
        assertThat(a.changed()).isEqualTo(0.5);
        assertThat(a.stillTarget()).isZero();
        assertThatThrownBy(() -> AlreadyShown.of(List.of(), List.of(), new boolean[0])).hasMessageContaining("not be empty");
    }

    @Test
    void theFacesShowingATargetAreTheHeldOutOnesTheEditDoesNotApplyTo() {
        List<org.sdd4j.core.data.Face> faces = HeldOut.facesShowing(EditTarget.BLOND, 5, 32);
        assertThat(faces).hasSize(5).noneMatch(EditTarget.BLOND::appliesTo);
    }
}
