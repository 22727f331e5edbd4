package org.sdd4j.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TeacherOptionsTest {

    private static final TeacherOptions BASE = TeacherOptions.defaults().withSteps(1000);

    @Test
    void constantScheduleKeepsTheRate() {
        assertThat(BASE.learningRateAt(1)).isEqualTo(BASE.learningRate());
        assertThat(BASE.learningRateAt(1000)).isEqualTo(BASE.learningRate());
    }

    @Test
    void cosineWarmsUpThenDecaysToATenth() {
        TeacherOptions o = BASE.withRecipe("cosine", 0);
        float lr = o.learningRate();
        // warm-up: 5% of 1000 steps = 50, from a tenth of the rate
        assertThat(o.learningRateAt(1)).isCloseTo(lr * (0.1f + 0.9f / 50), within(1e-9f));
        assertThat(o.learningRateAt(50)).isCloseTo(lr, within(1e-9f));
        // half-way through the decay: the mean of the rate and its tenth
        assertThat(o.learningRateAt(525)).isCloseTo(lr * 0.55f, within(1e-7f));
        assertThat(o.learningRateAt(1000)).isCloseTo(lr * 0.1f, within(1e-9f));
        for (int s = 51; s < 1000; s++) {
            assertThat(o.learningRateAt(s + 1)).isLessThanOrEqualTo(o.learningRateAt(s));
        }
    }

    @Test
    void warmUpIsAtMost200Steps() {
        TeacherOptions o = TeacherOptions.defaults().withSteps(10_000).withRecipe("cosine", 0);
        assertThat(o.learningRateAt(200)).isCloseTo(o.learningRate(), within(1e-9f));
        assertThat(o.learningRateAt(199)).isLessThan(o.learningRate());
    }

    @Test
    void refusesUnknownScheduleAndBalanceOutsideTheUnitInterval() {
        assertThatThrownBy(() -> BASE.withRecipe("linear", 0)).hasMessageContaining("constant, cosine");
        assertThatThrownBy(() -> BASE.withRecipe("cosine", -0.1)).hasMessageContaining("[0, 1]");
    }
}
