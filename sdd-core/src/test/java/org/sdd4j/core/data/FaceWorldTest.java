package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.FaceAttributes.Mouth;

class FaceWorldTest {

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void sameSeedAndIndexGiveTheSameFace() {
        Face a = new FaceWorld(7, 100, 32).face(42);
        Face b = new FaceWorld(7, 100, 32).face(42);
        assertThat(pixels(a.image())).isEqualTo(pixels(b.image()));
        assertThat(a.caption()).isEqualTo(b.caption());
        assertThat(a.mouthMask()).isEqualTo(b.mouthMask());
        assertThat(pixels(new FaceWorld(8, 100, 32).face(42).image())).isNotEqualTo(pixels(a.image()));
    }

    @Test
    void theCaptionAloneIsTheRenderedFacesCaption() {
        FaceWorld w = new FaceWorld(5, 400, 32);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 400; i++) {
            assertThat(w.caption(i)).as("face %d", i).isEqualTo(w.get(i).caption());
            distinct.add(w.caption(i));
        }
        assertThat(distinct).hasSizeGreaterThan(20);
    }

    @Test
    void labelsAgreeWithCurvatureAndCaption() {
        FaceWorld w = new FaceWorld(3, 300, 32);
        for (int i = 0; i < 300; i++) {
            Face f = w.face(i);
            FaceAttributes a = f.attributes();
            assertThat(FaceWorld.mouthOf(a.mouthCurvature())).isEqualTo(a.mouth());
            String c = f.caption();
            if (c.contains("smiling") || c.contains("happy")) {
                assertThat(a.mouth()).isEqualTo(Mouth.SMILING);
            }
            if (c.contains("frowning") || c.contains(" sad ")) {
                assertThat(a.mouth()).isEqualTo(Mouth.FROWNING);
            }
            if (c.contains("without glasses")) {
                assertThat(a.glasses()).isFalse();
            } else if (c.contains("glasses")) {
                assertThat(a.glasses()).isTrue();
            }
            String hair = a.hair().name().toLowerCase(java.util.Locale.ROOT);
            if (c.contains(" hair")) {
                assertThat(c).contains(hair + " hair");
            }
        }
    }

    @Test
    void changingOnlyTheMouthChangesPixelsOnlyInsideTheMouthMask() {
        FaceWorld w = new FaceWorld(5, 50, 32);
        for (int i = 0; i < 50; i++) {
            Face f = w.face(i);
            FaceAttributes a = f.attributes();
            Mouth other = a.mouth() == Mouth.SMILING ? Mouth.FROWNING : Mouth.SMILING;
            FaceAttributes edited = new FaceAttributes(FaceWorld.typicalCurvature(other), other, a.hair(),
                    a.glasses(), a.skin(), a.background());
            Face g = w.faceWith(i, edited);
            assertThat(changedPixelsAllInside(f, g, f.mouthMask(), "mouth")).isPositive();
        }
    }

    /** The pixels that differ between two renders of a face, after checking that each lies inside the mask. */
    private static int changedPixelsAllInside(Face f, Face g, boolean[] mask, String name) {
        int[] p = pixels(f.image());
        int[] q = pixels(g.image());
        int changed = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] != q[k]) {
                assertThat(mask[k]).as("pixel %d changed outside the %s mask", k, name).isTrue();
                changed++;
            }
        }
        return changed;
    }

    @Test
    void changingOnlyTheHairColourChangesExactlyThePixelsOfTheHairMask() {
        for (int res : new int[] {32, 128}) {
            FaceWorld w = new FaceWorld(5, 40, res);
            for (int i = 0; i < 40; i++) {
                Face f = w.face(i);
                FaceAttributes a = f.attributes();
                FaceAttributes.Hair other = a.hair() == FaceAttributes.Hair.BLOND
                        ? FaceAttributes.Hair.BLACK : FaceAttributes.Hair.BLOND;
                Face g = w.faceWith(i, new FaceAttributes(a.mouthCurvature(), a.mouth(), other, a.glasses(), a.skin(),
                        a.background()));
                int changed = changedPixelsAllInside(f, g, f.hairMask(), "hair");
                // the mask is every pixel the hair reaches, not a dilation: nearly all of it changes colour
                assertThat(changed).as("face %d", i).isGreaterThanOrEqualTo(count(f.hairMask()) * 8 / 10);
                assertThat(g.hairMask()).isEqualTo(f.hairMask());
            }
        }
    }

    @Test
    void masksCoverPlausibleAreas() {
        Face f = new FaceWorld(1, 10, 32).face(0);
        int n = 32 * 32;
        assertThat(count(f.mouthMask())).isBetween(10, n / 4);
        assertThat(count(f.hairMask())).isBetween(10, n / 2);
        assertThat(count(f.eyesMask())).isBetween(2, n / 4);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new FaceWorld(1, 10, 8)).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> new FaceWorld(1, 10, 32).face(10)).hasMessageContaining("[0, 10)");
    }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) {
            c += b ? 1 : 0;
        }
        return c;
    }

    @Test
    void vocabularyCoversEveryCaptionWord() {
        var vocab = Captions.vocabulary();
        FaceWorld w = new FaceWorld(9, 500, 32);
        for (int i = 0; i < 500; i++) {
            assertThat(vocab).containsAll(org.sdd4j.core.nn.TextEncoder.words(w.face(i).caption()));
        }
        assertThat(Arrays.asList("smiling", "glasses", "blond")).allMatch(vocab::contains);
    }
}
