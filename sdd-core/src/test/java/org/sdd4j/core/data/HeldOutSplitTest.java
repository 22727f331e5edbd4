package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.eval.CaptionJudge;

class HeldOutSplitTest {

    /** The captions of a view, which here name the positions of the underlying data. */
    private static List<String> captions(TrainingData d) {
        return java.util.stream.IntStream.range(0, d.size()).mapToObj(d::caption).toList();
    }

    private static TrainingData numbered(int n) {
        FaceWorld w = new FaceWorld(5, n, 16);
        return new TrainingData() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public org.sdd4j.api.CaptionedImage get(int index) {
                return w.get(index);
            }

            @Override
            public String caption(int index) {
                return "image " + index;
            }

            @Override
            public String describe() {
                return "numbered(" + n + ")";
            }
        };
    }

    private static int[] pixels(org.sdd4j.api.CaptionedImage c) {
        java.awt.image.BufferedImage b = (java.awt.image.BufferedImage) c.image().getWrappedImage();
        return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    }

    @Test
    void everyFifthImageIsHeldOutAndThePartsAreDisjointAndCoverTheData() {
        TrainingData data = numbered(23);
        List<String> train = captions(HeldOutSplit.training(data));
        List<String> held = captions(HeldOutSplit.heldOut(data));
        assertThat(held).containsExactly("image 4", "image 9", "image 14", "image 19");
        Set<String> all = new HashSet<>(train);
        all.addAll(held);
        assertThat(all).hasSize(23);
        assertThat(train).hasSize(19).doesNotContainAnyElementsOf(held);
        assertThat(HeldOutSplit.heldOut(data).describe()).contains("held-out part").contains("numbered(23)");
        // the images themselves come from the same positions
        assertThat(pixels(HeldOutSplit.heldOut(data).get(1))).isEqualTo(pixels(data.get(9)));
        assertThat(pixels(HeldOutSplit.heldOut(data).get(1))).isNotEqualTo(pixels(data.get(8)));
    }

    @Test
    void theCaptionJudgeHoldsOutTheSameImages() {
        TrainingData data = numbered(23);
        List<String> classes = CaptionJudge.classes(data, 30, 1);
        CaptionJudge.Split split = CaptionJudge.split(data, classes);
        assertThat(split.heldOut()).containsExactly(4, 9, 14, 19);
    }

    @Test
    void tooFewImagesForAHeldOutPartIsAClearError() {
        assertThatThrownBy(() -> HeldOutSplit.heldOut(numbered(3))).hasMessageContaining("too few images");
    }
}
