package org.sdd4j.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.Conditioning;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

class SdEditTest extends EngineTest {

    private final FakeTeacher teacher = new FakeTeacher(0.5f, 3, 8);
    private final SdEdit sdedit = new SdEdit(teacher);

    private NDArray input(NDManager m) {
        return Noise.gaussian(m, new Shape(4, 3, 8, 8), new SplittableRandom(3)).clip(-1f, 1f);
    }

    @Test
    void strengthZeroReturnsTheInput() {
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("a smiling face", m)) {
            NDArray x = input(m);
            NDArray y = sdedit.edit(x, c, SdEdit.Options.defaults().withStrength(0), m);
            assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
            assertThat(sdedit.timesteps(SdEdit.Options.defaults().withStrength(0))).isEmpty();
        }
    }

    @Test
    void moreStrengthChangesMore() {
        try (NDManager m = manager.newSubManager(); Conditioning c = teacher.encode("a smiling face", m)) {
            NDArray x = input(m);
            double previous = 0;
            for (double s : new double[] {0.1, 0.3, 0.6, 0.9}) {
                NDArray y = sdedit.edit(x, c, SdEdit.Options.defaults().withStrength(s), m);
                double change = y.sub(x).abs().mean().getFloat();
                assertThat(change).as("mean change at strength %s", s).isGreaterThan(previous);
                previous = change;
            }
        }
    }

    @Test
    void runsAboutStrengthTimesStepsOfTheDdimGrid() {
        int[] ts = sdedit.timesteps(SdEdit.Options.defaults().withStrength(0.4).withSteps(50));
        assertThat(ts[0]).isEqualTo(399); // the 50-step grid is 999, 979, ..., 19
        assertThat(ts).hasSize(20).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(ts[ts.length - 1]).isGreaterThanOrEqualTo(0);
        assertThat(sdedit.startTimestep(1.0)).isEqualTo(999);
    }

    @Test
    void refusesStrengthsOutsideTheUnitInterval() {
        assertThatThrownBy(() -> SdEdit.Options.defaults().withStrength(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
    }
}
