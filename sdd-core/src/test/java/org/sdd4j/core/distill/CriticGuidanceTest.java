package org.sdd4j.core.distill;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.nn.Ops;
import org.sdd4j.core.testing.EngineTest;

/** The critic learns the data's look of the target, and its losses are the logistic ones. */
class CriticGuidanceTest extends EngineTest {

    /** A critic of blond hair at 16 px, warmed up {@code steps} steps of {@code batch} on faces of world 5. */
    private static final FaceWorld WORLD = new FaceWorld(5, 2000, 16);

    private static CriticGuidance warmedUp(ParameterStore ps, int batch, int steps) {
        CriticGuidance critic = new CriticGuidance(1f, "blond", 16, manager);
        critic.warmUp(WORLD, batch, 16, 0, steps, ps, manager);
        return critic;
    }

    @Test
    void warmUpTellsImagesThatShowTheTargetFromTheOthers() {
        ParameterStore ps = new ParameterStore(manager, false);
        try (CriticGuidance critic = warmedUp(ps, 8, 150)) {
            // held-out faces of another world: blond ones score higher than the others
            FaceWorld heldOut = new FaceWorld(6, 400, 16);
            List<Face> faces = heldOut.faces(0, 200);
            NDArray scores = critic.score(ps, ImageTensors.batch(faces.stream()
                    .map(f -> ImageTensors.toRgb(f.image())).toList(), 16, manager));
            float[] s = scores.toFloatArray();
            double blond = 0;
            double other = 0;
            int nb = 0;
            for (int i = 0; i < s.length; i++) {
                if (faces.get(i).attributes().hair() == FaceAttributes.Hair.BLOND) {
                    blond += s[i];
                    nb++;
                } else {
                    other += s[i];
                }
            }
            assertThat(nb).isPositive();
            assertThat(blond / nb).isGreaterThan(other / (s.length - nb) + 1.0);
        }
    }

    @Test
    void aStepWithNonFiniteGradientsIsSkippedAndLeavesNothingBehind() {
        ParameterStore ps = new ParameterStore(manager, false);
        try (CriticGuidance critic = warmedUp(ps, 4, 2)) {
            float[] before = weights(critic);
            NDArray guided = manager.ones(new ai.djl.ndarray.types.Shape(4));
            NDArray bad = manager.zeros(new ai.djl.ndarray.types.Shape(4, 3, 16, 16)).add(Float.NaN);
            double loss = critic.update(WORLD, 16, new java.util.SplittableRandom(1), ps, manager, bad, guided);
            assertThat(loss).isNaN();
            assertThat(critic.skippedSteps()).isEqualTo(1);
            assertThat(weights(critic)).containsExactly(before);
            // the NaN gradients were overwritten: the next step trains normally
            NDArray fine = manager.zeros(new ai.djl.ndarray.types.Shape(4, 3, 16, 16));
            assertThat(critic.update(WORLD, 16, new java.util.SplittableRandom(2), ps, manager, fine, guided)).isFinite();
            assertThat(critic.skippedSteps()).isEqualTo(1);
            float[] after = weights(critic);
            assertThat(after).doesNotContain(Float.NaN);
            assertThat(after).isNotEqualTo(before);
        }
    }

    private static float[] weights(CriticGuidance critic) {
        return critic.companion().block().getParameters().get(0).getValue().getArray().toFloatArray();
    }

    @Test
    void softplusIsStableAndExact() {
        NDArray x = manager.create(new float[] {-200f, -1f, 0f, 2f, 200f});
        float[] y = Ops.softplus(x).toFloatArray();
        assertThat(y[0]).isEqualTo(0f);
        assertThat(y[1]).isCloseTo((float) Math.log1p(Math.exp(-1)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(y[2]).isCloseTo((float) Math.log(2), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(y[3]).isCloseTo((float) Math.log1p(Math.exp(2)), org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(y[4]).isEqualTo(200f);
    }
}
