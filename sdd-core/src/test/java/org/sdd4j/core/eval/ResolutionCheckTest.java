package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;

class ResolutionCheckTest {

    @Test
    void anUneditedFaceKeepsItsMouthAndItsCounterfactualDoesNot() {
        FaceWorld world = HeldOut.world(128);
        List<Integer> idx = HeldOut.indices(EditTarget.SMILING, 10, 32);
        List<Face> faces = idx.stream().map(world::face).toList();
        List<Face> cf = HeldOut.counterfactuals(EditTarget.SMILING, idx, 128);
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, HeldOut.images(faces))).isEqualTo(1.0);
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, HeldOut.images(cf))).isEqualTo(0.0);
        // a blurred copy (what an upsampled low-resolution edit looks like) loses the fine detail too
        List<BufferedImage> blurred = faces.stream()
                .map(f -> ImageTensors.resize(ImageTensors.resize(f.image(), 32, 32), 128, 128)).toList();
        assertThat(ResolutionCheck.originalKept(EditTarget.SMILING, faces, cf, blurred)).isLessThan(0.5);
    }

    @Test
    void detailCorrelationOfAnImageWithItselfIsOne() {
        BufferedImage img = HeldOut.world(64).face(2).image();
        boolean[] all = new boolean[64 * 64];
        java.util.Arrays.fill(all, true);
        assertThat(ResolutionCheck.detailCorrelation(img, img, all)).isCloseTo(1.0, within(1e-12));
    }
}
