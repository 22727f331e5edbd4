package org.sdd4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void sdsDefaultsAreThePapersCode() {
        SdsOptions o = SdsOptions.defaults();
        assertThat(o.guidanceScale()).isEqualTo(100f);
        assertThat(o.weighting()).isEqualTo(SdsWeighting.ONE_MINUS_ALPHA_BAR);
        assertThat(o.topKFraction()).isEqualTo(1024.0 / 16384.0);
        assertThatThrownBy(() -> o.withTopKFraction(1.5)).hasMessageContaining("1.5");
    }

    @Test
    void distillDefaultsAreThePapersOptimiser() {
        DistillOptions d = DistillOptions.defaults();
        assertThat(d.learningRate()).isEqualTo(0.005f);
        assertThat(d.weightDecay()).isEqualTo(0.002f);
        assertThat(d.toBuilder().steps(7).build().steps()).isEqualTo(7);
        assertThatThrownBy(() -> DistillOptions.builder().steps(0).build()).hasMessageContaining("steps");
    }

    @Test
    void selectionRulesParse() {
        assertThat(SelectionRule.parse("largest")).isInstanceOf(SelectionRule.Largest.class);
        assertThat(SelectionRule.parse("min-entropy")).isInstanceOf(SelectionRule.MinimumEntropy.class);
        assertThat(SelectionRule.parse("threshold:0.25")).isEqualTo(SelectionRule.threshold(0.25));
        assertThatThrownBy(() -> SelectionRule.parse("best")).hasMessageContaining("'best'")
                .hasMessageContaining("threshold:XI");
        assertThat(SelectionOptions.defaults().candidates()).hasSize(17).startsWith(100).endsWith(900);
    }

    @Test
    void selectionMustSelectSomething() {
        assertThatThrownBy(() -> TimestepSelection.fixed("p", java.util.List.of()))
                .hasMessageContaining("at least one");
    }

    @Test
    void distillRequestValidatesTheEditName() {
        assertThatThrownBy(() -> new DistillRequest("", "a smiling face", null, null, null, null, null, Path.of("x"), null,
                null)).isInstanceOf(NullPointerException.class);
        assertThat(new TeacherSpace(SpaceKind.PIXEL, 3, 32, 32).entriesPerSample()).isEqualTo(3072);
        assertThatThrownBy(() -> new TeacherSpace(SpaceKind.PIXEL, 0, 32, 32)).hasMessageContaining("0x32x32");
    }
}
