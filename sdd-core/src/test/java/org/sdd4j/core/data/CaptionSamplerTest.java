package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;
import org.junit.jupiter.api.Test;

class CaptionSamplerTest {

    /** 90 images captioned "common" and 10 "rare"; reading an image fails, so only captions may be read. */
    private static final TrainingData SKEWED = new TrainingData() {
        @Override
        public int size() {
            return 100;
        }

        @Override
        public CaptionedImage get(int index) {
            throw new AssertionError("the sampler must not read images");
        }

        @Override
        public String caption(int index) {
            return index < 90 ? "common" : "rare";
        }

        @Override
        public String describe() {
            return "skewed";
        }
    };

    private static Map<String, Integer> draw(CaptionSampler s, int n) {
        SplittableRandom r = new SplittableRandom(7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int index = s.next(r);
            assertThat(index).isBetween(0, 99);
            counts.merge(SKEWED.caption(index), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void balanceZeroKeepsTheDataFrequencies() {
        Map<String, Integer> c = draw(CaptionSampler.of(SKEWED, 0), 20_000);
        assertThat(c.get("rare") / 20_000.0).isCloseTo(0.10, within(0.01));
    }

    @Test
    void balanceOneDrawsEveryCaptionEquallyOften() {
        CaptionSampler s = CaptionSampler.of(SKEWED, 1);
        assertThat(s.probability("rare")).isCloseTo(0.5, within(1e-12));
        assertThat(draw(s, 20_000).get("rare") / 20_000.0).isCloseTo(0.5, within(0.015));
    }

    @Test
    void halfBalanceFollowsTheSquareRootOfTheCounts() {
        CaptionSampler s = CaptionSampler.of(SKEWED, 0.5);
        double expected = Math.sqrt(10) / (Math.sqrt(10) + Math.sqrt(90)); // 0.25
        assertThat(s.probability("rare")).isCloseTo(expected, within(1e-12));
        assertThat(s.probability("absent")).isZero();
        assertThat(draw(s, 20_000).get("rare") / 20_000.0).isCloseTo(expected, within(0.015));
    }

    @Test
    void refusesABalanceOutsideTheUnitInterval() {
        assertThatThrownBy(() -> CaptionSampler.of(SKEWED, 1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> CaptionSampler.of(SKEWED, Double.NaN)).hasMessageContaining("[0, 1]");
    }
}
