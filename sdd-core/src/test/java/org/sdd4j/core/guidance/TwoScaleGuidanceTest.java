package org.sdd4j.core.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.SdsOptions;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

/** Two-scale guidance: a lower scale below t = 300 with a gain, the main scale above; off by default. */
class TwoScaleGuidanceTest extends EngineTest {

    private static final float[] Y = {0.2f, -0.4f, 0.6f, 1.0f, -1.0f, 0.0f, 0.3f, 0.9f};

    private float[] gradient(SdsOptions o, GuidanceObjective objective, int[] t) {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        GuidanceSetup setup = GuidanceSetup.of("a smiling face", "a frowning face", o.withObjective(objective));
        try (NDManager m = manager.newSubManager(); GuidanceSetup.Encoded c = setup.encode(teacher, m)) {
            NDArray y = m.create(Y, new Shape(2, 1, 2, 2));
            // an edited image that differs from the source, so that DDS is not zero
            return ScoreDistillation.gradient(teacher, c, y.add(0.1f), y, t, 0, new SplittableRandom(5)).toFloatArray();
        }
    }

    private static SdsOptions base() {
        return SdsOptions.defaults().withTopKFraction(0).withGuidanceScale(100f);
    }

    @Test
    void scalesGainsAndTimestepsFollowTheThreshold() {
        SdsOptions o = base().withLowNoiseGuidance(7.5f);
        assertThat(o.scaleAt(299)).isEqualTo(7.5f);
        assertThat(o.scaleAt(300)).isEqualTo(100f);
        assertThat(o.gainAt(150)).isCloseTo(100f / 7.5f, within(1e-5f));
        assertThat(o.gainAt(500)).isEqualTo(1f);
        assertThat(o.trainingTimesteps(List.of(350, 400, 200))).containsExactly(150, 200, 250, 350, 400);
        // off by default: one scale, the selected timesteps unchanged
        assertThat(base().scaleAt(100)).isEqualTo(100f);
        assertThat(base().gainAt(100)).isEqualTo(1f);
        assertThat(base().trainingTimesteps(List.of(400, 350))).containsExactly(400, 350);
    }

    @Test
    void theDistillationTrainsAtTheAddedTimestepsAndRecordsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.sdd4j.api.DistillOptions d = org.sdd4j.api.DistillOptions.builder().steps(2).batchSize(2).manipulatorWidth(4)
                .checkpointEvery(0).previewEvery(0).sds(org.sdd4j.api.DistillOptions.defaults().sds()
                        .withLowNoiseGuidance(7.5f)).build();
        new org.sdd4j.core.distill.SddDistiller(manager).distill(new org.sdd4j.api.DistillRequest("edit", "a prompt", "",
                new FakeTeacher(0.05f, 3, 16), new org.sdd4j.core.data.FaceWorld(3, 100, 16),
                org.sdd4j.api.TimestepSelection.fixed("a prompt", List.of(400)), d, dir.resolve("b"), null, null));
        try (org.sdd4j.core.edit.ManipulatorEditor e = org.sdd4j.core.edit.ManipulatorEditor.load(dir.resolve("b"), manager)) {
            assertThat(e.manifest().at("/edits/edit/trainingTimesteps").toString()).isEqualTo("[150,200,250,400]");
            assertThat(e.manifest().at("/edits/edit/training/options/sds/lowNoiseGuidance").asDouble()).isEqualTo(7.5);
        }
    }

    @Test
    void aLowNoiseScaleAboveTheMainScaleIsRefused() {
        assertThatThrownBy(() -> base().withGuidanceScale(5f).withLowNoiseGuidance(7.5f))
                .hasMessageContaining("lowNoiseGuidance must be 0 (off) or in (0, guidanceScale");
        assertThatThrownBy(() -> base().withLowNoiseGuidance(-1f)).hasMessageContaining("lowNoiseGuidance");
    }

    @Test
    void belowTheThresholdTheGradientIsTheLowScalesTimesTheGainAboveItTheMainScales() {
        for (GuidanceObjective objective : GuidanceObjective.values()) {
            int[] t = {200, 600};
            float[] twoScale = gradient(base().withLowNoiseGuidance(7.5f), objective, t);
            float[] low = gradient(base().withGuidanceScale(7.5f), objective, t);
            float[] high = gradient(base(), objective, t);
            for (int i = 0; i < 4; i++) {
                assertThat(twoScale[i]).as("%s, t = 200", objective).isCloseTo(low[i] * 100f / 7.5f, within(1e-4f));
                assertThat(twoScale[4 + i]).as("%s, t = 600", objective).isCloseTo(high[4 + i], within(1e-5f));
            }
            assertThat(twoScale[0]).isNotEqualTo(high[0]);
        }
    }
}
