package org.sdd4j.core.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

class GuidanceTest extends EngineTest {

    /** A teacher that returns a fixed raw output of a given prediction type and records its batch sizes. */
    static final class Recording implements DiffusionTeacher {
        final PredictionType type;
        final float value;
        final List<Long> batches = new ArrayList<>();
        final DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.linear(1000);

        Recording(PredictionType type, float value) {
            this.type = type;
            this.value = value;
        }

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public String checksum() {
            return "";
        }

        @Override
        public NoiseSchedule schedule() {
            return schedule;
        }

        @Override
        public TeacherSpace space() {
            return new TeacherSpace(SpaceKind.PIXEL, 1, 2, 2);
        }

        @Override
        public PredictionType predictionType() {
            return type;
        }

        @Override
        public NDArray embed(List<String> prompts, NDManager m) {
            return m.zeros(new Shape(prompts.size(), 1));
        }

        @Override
        public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
            batches.add(xt.getShape().get(0));
            return xt.onesLike().mul(value);
        }

        @Override
        public void close() {}
    }

    @Test
    void guidanceCombinesBothBranchesInOneCall() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            NDArray x = m.create(new float[] {0.2f, -0.4f, 0.6f, 1.0f}, new Shape(1, 1, 2, 2));
            float[] eps = Guidance.predictNoise(teacher, x, new int[] {10}, c, 7f).toFloatArray();
            // eps_u = 0, eps_c = 0.5 x: eps_hat = 7 * 0.5 * x
            assertThat(eps[1]).isCloseTo(7 * 0.5f * -0.4f, within(1e-6f));
        }
    }

    @Test
    void scaleOneRunsOnlyTheConditionalBranch() {
        Recording teacher = new Recording(PredictionType.EPSILON, 0.25f);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            NDArray x = m.zeros(new Shape(3, 1, 2, 2));
            Guidance.predictNoise(teacher, x, new int[] {1, 2, 3}, c, 1f);
            Guidance.predictNoise(teacher, x, new int[] {1, 2, 3}, c, 7.5f);
            assertThat(teacher.batches).containsExactly(3L, 6L);
        }
    }

    @Test
    void aVelocityTeacherIsConvertedToEpsilon() {
        Recording teacher = new Recording(PredictionType.V_PREDICTION, 0.3f);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            float xv = 0.8f;
            NDArray x = m.ones(new Shape(1, 1, 2, 2)).mul(xv);
            int t = 600;
            float eps = Guidance.predictNoise(teacher, x, new int[] {t}, c, 1f).toFloatArray()[0];
            double ab = teacher.schedule.alphaBar(t);
            // eps = sqrt(abar) v + sqrt(1 - abar) x_t (Salimans and Ho 2022)
            assertThat((double) eps).isCloseTo(Math.sqrt(ab) * 0.3 + Math.sqrt(1 - ab) * xv, within(1e-6));
            Recording sample = new Recording(PredictionType.SAMPLE, 0.3f);
            float eps0 = Guidance.predictNoise(sample, x, new int[] {t}, c, 1f).toFloatArray()[0];
            assertThat((double) eps0).isCloseTo((xv - Math.sqrt(ab) * 0.3) / Math.sqrt(1 - ab), within(1e-5));
        }
    }

    @Test
    void wrongShapesAndTimestepsAreRefusedBeforeTheNetworkRuns() {
        Recording teacher = new Recording(PredictionType.EPSILON, 0f);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            assertThatThrownBy(() -> Guidance.predictNoise(teacher, m.zeros(new Shape(1, 3, 2, 2)), new int[] {1}, c, 2f))
                    .hasMessageContaining("expects x_t of shape (B, 1, 2, 2)");
            assertThatThrownBy(() -> Guidance.predictNoise(teacher, m.zeros(new Shape(1, 1, 2, 2)), new int[] {1000}, c,
                    2f)).hasMessageContaining("outside [0, 1000)");
            assertThatThrownBy(() -> Guidance.predictNoise(teacher, m.zeros(new Shape(2, 1, 2, 2)), new int[] {1}, c,
                    2f)).hasMessageContaining("2 samples but 1 timesteps");
            assertThat(teacher.batches).isEmpty();
        }
    }

    @Test
    void theNegativePromptIsRecordedInTheConditioning() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("a", "b", m)) {
            assertThat(c.prompt()).isEqualTo("a");
            assertThat(c.negativePrompt()).isEqualTo("b");
        }
    }
}
