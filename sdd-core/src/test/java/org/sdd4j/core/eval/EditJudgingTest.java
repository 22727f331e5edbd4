package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.testing.EngineTest;

class EditJudgingTest extends EngineTest {

    /** An "edit" that swaps each bar for a circle image of the data (what a perfect edit would show). */
    static Editor swapTo(TrainingData d, String caption, List<Image> seen) {
        List<Image> targets = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i).caption().equals(caption)) {
                targets.add(d.get(i).image());
            }
        }
        return new Editor() {
            @Override
            public Set<String> edits() {
                return Set.of("round");
            }

            @Override
            public Image edit(Image image, String edit) {
                seen.add(image);
                return targets.get(seen.size() % targets.size());
            }

            @Override
            public List<Image> edit(List<Image> images, String edit) {
                return images.stream().map(im -> edit(im, edit)).toList();
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void heldOutSourceImagesAreEditedAndJudged() {
        TrainingData d = CaptionJudgeTest.shapes(300);
        List<Image> seen = new ArrayList<>();
        try (CaptionJudge j = CaptionJudge.train(d, new CaptionJudge.Options(12, 10, 120, 32, 16, 3), manager, null);
                Editor e = swapTo(d, "a circle", seen)) {
            EditJudging.Result r = EditJudging.run(e, "round", j, d, "a bar", "a circle", 1000);
            // held-out images (every fifth) with odd positions are bars: 30 of them
            assertThat(r.images()).isEqualTo(30);
            assertThat(r.targetBefore()).isLessThan(0.1);
            assertThat(r.targetAfter()).isGreaterThan(0.9);
            assertThat(r.sourceAfter()).isLessThan(0.1);
            List<Image> heldOutBars = new ArrayList<>();
            for (int i : CaptionJudge.split(d, j.classes()).heldOut()) {
                if (d.get(i).caption().equals("a bar")) {
                    heldOutBars.add(d.get(i).image());
                }
            }
            assertThat(seen).containsExactlyElementsOf(heldOutBars);
            assertThatThrownBy(() -> EditJudging.run(e, "round", j, d, "a bar", "a dragon", 10))
                    .hasMessageContaining("\"a dragon\" is not one of them");
        }
    }
}
