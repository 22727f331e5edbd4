package org.sdd4j.core.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.SdsOptions;
import org.sdd4j.api.SdsWeighting;

class ScoreDistillationTest extends EngineTest {




    @Test
    void gradientIsWeightTimesGuidedMinusNoise() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            float[] y = {0.2f, -0.4f, 0.6f, 1.0f, -1.0f, 0.0f, 0.3f, 0.9f};
            NDArray images = m.create(y, new Shape(2, 1, 2, 2));
            int[] t = {100, 700};
            SdsOptions o = SdsOptions.defaults().withTopKFraction(0).withZeroNoise(true).withGuidanceScale(7f);
            float[] g = ScoreDistillation.gradient(teacher, c, images, t, o, new SplittableRandom(1)).toFloatArray();
            for (int i = 0; i < 8; i++) {
                double ab = teacher.discreteSchedule().alphaBar(t[i / 4]);
                // eps = 0: x_t = sqrt(ab) y, eps_hat = 7 * 0.5 * x_t, g = (1 - ab) * eps_hat
                assertThat((double) g[i]).isCloseTo((1 - ab) * 7 * 0.5 * Math.sqrt(ab) * y[i], within(1e-6));
            }
            SdsOptions dream = o.withWeighting(SdsWeighting.SQRT_ALPHA_BAR_TIMES_ONE_MINUS_ALPHA_BAR);
            float g0 = ScoreDistillation.gradient(teacher, c, images, t, dream, new SplittableRandom(1)).toFloatArray()[0];
            double ab = teacher.discreteSchedule().alphaBar(100);
            assertThat((double) g0).isCloseTo(Math.sqrt(ab) * (1 - ab) * 3.5 * Math.sqrt(ab) * 0.2, within(1e-6));
        }
    }

    @Test
    void gaussianNoiseIsSubtracted() {
        // with k = 0 the teacher predicts 0, so g = -w(t) eps: unit variance around zero
        FakeTeacher teacher = new FakeTeacher(0f, 1, 2);
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("p", m)) {
            NDArray images = m.zeros(new Shape(500, 1, 2, 2));
            int[] t = new int[500];
            java.util.Arrays.fill(t, 999);
            SdsOptions o = SdsOptions.defaults().withTopKFraction(0);
            NDArray g = ScoreDistillation.gradient(teacher, c, images, t, o, new SplittableRandom(3));
            double w = 1 - teacher.discreteSchedule().alphaBar(999);
            assertThat((double) g.mean().getFloat()).isCloseTo(0, within(0.1));
            assertThat((double) g.square().mean().getFloat()).isCloseTo(w * w, within(0.15));
        }
    }

    @Test
    void topKKeepsExactlyKPerSampleEvenWithTies() {
        try (NDManager m = manager.newSubManager()) {
            float[] v = {1, -3, 3, 0.5f, 2, 2, 2, 2};
            NDArray g = m.create(v, new Shape(2, 1, 2, 2));
            float[] kept = ScoreDistillation.keepTopK(g, 2).toFloatArray();
            assertThat(kept).containsExactly(0, -3, 3, 0, 2, 2, 0, 0);
            assertThat(ScoreDistillation.topK(new Shape(4, 4, 64, 64), SdsOptions.PAPER_TOP_K_FRACTION)).isEqualTo(1024);
            assertThat(ScoreDistillation.topK(new Shape(1, 3, 32, 32), SdsOptions.PAPER_TOP_K_FRACTION)).isEqualTo(192);
        }
    }

    @Test
    void surrogateLossInjectsExactlyTheGradient() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            NDArray g = m.create(new float[] {0.5f, -1f, 2f});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = x.mul(x); // d out / dx = 2x
                gc.backward(ScoreDistillation.surrogateLoss(g, out));
            }
            // chain rule: dL/dx = g * 2x
            assertThat(x.getGradient().toFloatArray()).containsExactly(1f, -4f, 12f);
        }
    }
}
