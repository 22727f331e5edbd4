package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.GuidanceObjective;

class ComparisonOptionsTest {

    private static Comparison.Options with(DistillOptions d, List<Comparison.Variant> variants) {
        return new Comparison.Options(8, d, List.of(0.2), 50, 7.5f, List.of(500), 100, true, variants);
    }

    @Test
    void aVariantBelowTheTwoScaleGuidanceIsRefusedBeforeAnyRowRuns() {
        DistillOptions twoScale = DistillOptions.builder()
                .sds(DistillOptions.DEFAULT_GUIDANCE.withLowNoiseGuidance(15f)).build();
        // every variant at 30 and 100 combines with a low-noise scale of 15; the 7.5 ones cannot
        assertThat(with(twoScale, List.of(new Comparison.Variant(GuidanceObjective.DDS, 30f),
                new Comparison.Variant(GuidanceObjective.SDS, 100f))).variants()).hasSize(2);
        assertThatThrownBy(() -> with(twoScale, Comparison.Variant.all()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--variants SDS:7.5")
                .hasMessageContaining("--low-noise-guidance");
        // without two-scale guidance every variant combines
        assertThat(with(DistillOptions.defaults(), Comparison.Variant.all()).variants()).hasSize(9);
    }

    @Test
    void aVariantAppliesItsObjectiveAndScaleAndKeepsTheRest() {
        DistillOptions d = DistillOptions.builder()
                .sds(DistillOptions.DEFAULT_GUIDANCE.withLowNoiseGuidance(15f)).build();
        org.sdd4j.api.SdsOptions v = new Comparison.Variant(GuidanceObjective.DDS, 30f).applyTo(d.sds());
        assertThat(v.objective()).isEqualTo(GuidanceObjective.DDS);
        assertThat(v.guidanceScale()).isEqualTo(30f);
        assertThat(v.lowNoiseGuidance()).isEqualTo(15f);
        assertThat(v.weighting()).isEqualTo(d.sds().weighting());
    }
}
