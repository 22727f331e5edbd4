package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.testing.EngineTest;

class CaptionJudgeTest extends EngineTest {

    /** Circles ("a circle") and bars ("a bar") of random colours and places, plus a rare caption. */
    static TrainingData shapes(int n) {
        Random r = new Random(5);
        List<CaptionedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage im = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = im.createGraphics();
            g.setColor(new Color(r.nextInt(80), r.nextInt(80), r.nextInt(80)));
            g.fillRect(0, 0, 16, 16);
            g.setColor(new Color(120 + r.nextInt(130), 120 + r.nextInt(130), 120 + r.nextInt(130)));
            String caption;
            if (i % 2 == 0) {
                g.fillOval(2 + r.nextInt(4), 2 + r.nextInt(4), 9, 9);
                caption = "a circle";
            } else {
                g.fillRect(r.nextInt(10), 1, 4, 14);
                caption = "a bar";
            }
            g.dispose();
            Image img = ImageFactory.getInstance().fromImage(im);
            out.add(new CaptionedImage(img, i == 7 ? "a rare thing" : caption));
        }
        return new TrainingData() {
            @Override
            public int size() {
                return out.size();
            }

            @Override
            public CaptionedImage get(int index) {
                return out.get(index);
            }

            @Override
            public String describe() {
                return "shapes(" + n + ")";
            }
        };
    }

    @Test
    void heldOutImagesNeverTrainTheJudge() {
        TrainingData d = shapes(200);
        List<String> classes = CaptionJudge.classes(d, 12, 10);
        assertThat(classes).containsExactlyInAnyOrder("a circle", "a bar");
        CaptionJudge.Split s = CaptionJudge.split(d, classes);
        Set<Integer> train = new HashSet<>(s.train());
        assertThat(s.heldOut()).isNotEmpty().noneMatch(train::contains);
        assertThat(train.size() + s.heldOut().size()).isEqualTo(199); // the rare caption is not a class
        assertThat(s.heldOut()).allMatch(i -> i % CaptionJudge.HOLD_OUT_EVERY == CaptionJudge.HOLD_OUT_EVERY - 1);
    }

    @Test
    void aShortJudgeTellsShapesApartOnImagesItNeverSaw() {
        TrainingData d = shapes(300);
        try (CaptionJudge j = CaptionJudge.train(d, new CaptionJudge.Options(12, 10, 120, 32, 16, 3), manager, null)) {
            assertThat(j.heldOutImages()).isEqualTo(60);
            assertThat(j.heldOutAccuracy()).isGreaterThan(0.9);
            // per caption: its recall on the held-out images, weighted by their counts it gives the accuracy
            double circles = j.heldOutRecall("a circle");
            double bars = j.heldOutRecall("a bar");
            assertThat(circles).isGreaterThan(0.8);
            assertThat(bars).isGreaterThan(0.8);
            assertThat(j.heldOutRecall("a triangle")).isNaN();
            assertThat(j.features(List.of(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)))).hasSize(1);
        }
    }

    @Test
    void oneCaptionIsNotEnough() {
        TrainingData d = shapes(40);
        assertThatThrownBy(() -> CaptionJudge.train(d, new CaptionJudge.Options(12, 30, 10, 8, 16, 3), manager, null))
                .hasMessageContaining("at least two captions");
    }
}
