package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.edit.Framing;

class ResolutionCheckTest {

    /** The first n held-out faces of an edit at 128 px. */
    private static List<Face> heldOut(EditTarget edit, int n) {
        FaceWorld world = HeldOut.world(128);
        return HeldOut.indices(edit, n, 32).stream().map(world::face).toList();
    }

    /** Their counterfactuals at 128 px. */
    private static List<Face> counterfactuals(EditTarget edit, int n) {
        return HeldOut.counterfactuals(edit, HeldOut.indices(edit, n, 32), 128);
    }

    @Test
    void anUneditedFaceKeepsItsMouthAndItsCounterfactualDoesNot() {
        List<Face> faces = heldOut(EditTarget.SMILING, 10);
        List<Face> cf = counterfactuals(EditTarget.SMILING, 10);
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, HeldOut.images(faces))).isEqualTo(1.0);
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, HeldOut.images(cf))).isEqualTo(0.0);
        // a blurred copy (what an upsampled low-resolution edit looks like) loses the fine detail too
        List<BufferedImage> blurred = faces.stream()
                .map(f -> ImageTensors.resize(ImageTensors.resize(f.image(), 32, 32), 128, 128)).toList();
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, blurred)).isLessThan(0.5);
    }

    @Test
    void eyesCountAsChangedWhenTheyComeBackSoftAndNotWhenTheyAreKept() {
        List<Face> faces = heldOut(EditTarget.SMILING, 10);
        // the input itself, and its counterfactual (the same eyes, another mouth): no eyes changed
        assertThat(ResolutionCheck.eyesChanged(EditTarget.SMILING, faces, HeldOut.images(faces))).isZero();
        assertThat(ResolutionCheck.eyesChanged(EditTarget.SMILING, faces,
                HeldOut.images(counterfactuals(EditTarget.SMILING, 10)))).isZero();
        // the eyes of a face carried up from 32 px are soft: every face counts
        List<BufferedImage> blurred = faces.stream()
                .map(f -> ImageTensors.resize(ImageTensors.resize(f.image(), 32, 32), 128, 128)).toList();
        assertThat(ResolutionCheck.eyesChanged(EditTarget.SMILING, faces, blurred)).isEqualTo(1.0);
        // an edit of the eyes may change them: not counted
        EditTarget eyesEdit = new EditTarget("glasses", "a face with glasses", "", 2, 1, "eyes", a -> a);
        assertThat(ResolutionCheck.eyesChanged(eyesEdit, faces, blurred)).isNaN();
        assertThat(ResolutionCheck.percent(0.125)).isEqualTo("12.5%");
        assertThat(ResolutionCheck.percent(Double.NaN)).isEqualTo("-");
    }

    @Test
    void detailCorrelationOfAnImageWithItselfIsOne() {
        BufferedImage img = HeldOut.world(64).face(2).image();
        boolean[] all = new boolean[64 * 64];
        java.util.Arrays.fill(all, true);
        assertThat(ResolutionCheck.detailCorrelation(img, img, all)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void outsideTheRegionTheCounterfactualIsTheInputAndAGlowThereCounts() {
        List<Face> faces = heldOut(EditTarget.BLOND, 6);
        List<Face> cf = counterfactuals(EditTarget.BLOND, 6);
        // the genuine recolour changes the hair only: capped; the input itself: capped
        assertThat(ResolutionCheck.psnrOutside(EditTarget.BLOND, faces, cf, HeldOut.images(cf))).isEqualTo(99.0);
        assertThat(ResolutionCheck.psnrOutside(EditTarget.BLOND, faces, cf, HeldOut.images(faces)))
                .isEqualTo(99.0);
        // a uniform shift of 8 levels in one channel everywhere: outside the region the PSNR of that shift
        List<BufferedImage> shifted = HeldOut.images(cf).stream().map(img -> {
            BufferedImage out = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
            for (int yy = 0; yy < 128; yy++) {
                for (int x = 0; x < 128; x++) {
                    int p = img.getRGB(x, yy);
                    out.setRGB(x, yy, (p & 0xFFFF00) | Math.min(255, (p & 0xFF) + 8));
                }
            }
            return out;
        }).toList();
        double expected = 10 * Math.log10(255.0 * 255.0 / (64.0 / 3));
        assertThat(ResolutionCheck.psnrOutside(EditTarget.BLOND, faces, cf, shifted)).isCloseTo(expected,
                within(0.3));
    }

    @Test
    void aFaceFramedWideOrTallIsTheSameFaceInAWiderFrameAndOnlyItsMarginsCountAsMargins() {
        BufferedImage face = heldOut(EditTarget.SMILING, 1).get(0).image();
        int[][] frames = {{171, 128}, {128, 171}, {256, 192}};
        Framing.Square[] at = {Framing.Square.centred(171, 128), Framing.Square.centred(128, 171),
            new Framing.Square(32, 16, 128)};
        for (int f = 0; f < frames.length; f++) {
            int[] frame = frames[f];
            BufferedImage framed = ResolutionCheck.framedIn(face, frame[0], frame[1], at[f]);
            assertThat(framed.getWidth()).isEqualTo(frame[0]);
            assertThat(framed.getHeight()).isEqualTo(frame[1]);
            // the face's square, as a region (or --fit crop for a centred face) sees it, is the face itself
            assertThat(ImageTensors.pixels(Framing.seen(framed, at[f]))).isEqualTo(ImageTensors.pixels(face));
            // the margins repeat the nearest edge pixel
            assertThat(framed.getRGB(0, 0)).isEqualTo(face.getRGB(0, 0));
            assertThat(framed.getRGB(frame[0] - 1, frame[1] - 1)).isEqualTo(face.getRGB(127, 127));
            assertThat(ResolutionCheck.psnrMargins(framed, framed, at[f])).isEqualTo(99.0);
            // a change inside the face's square is not a margin's; one in a corner is
            BufferedImage changed = ResolutionCheck.framedIn(face, frame[0], frame[1], at[f]);
            int cx = at[f].x() + 64;
            int cy = at[f].y() + 64;
            changed.setRGB(cx, cy, changed.getRGB(cx, cy) ^ 0xFFFFFF);
            assertThat(ResolutionCheck.psnrMargins(changed, framed, at[f])).isEqualTo(99.0);
            changed.setRGB(frame[0] - 1, frame[1] - 1, changed.getRGB(frame[0] - 1, frame[1] - 1) ^ 0xFFFFFF);
            assertThat(ResolutionCheck.psnrMargins(changed, framed, at[f])).isLessThan(60.0);
        }
        assertThat(ImageTensors.pixels(Framing.seen(ResolutionCheck.framedIn(face, 171, 128, at[0]),
                Framing.Fit.CROP))).isEqualTo(ImageTensors.pixels(face));
    }
}
