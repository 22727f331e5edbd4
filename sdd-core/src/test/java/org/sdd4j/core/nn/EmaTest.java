package org.sdd4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;

/** The moving average follows its documented warm-up and swaps the live and averaged weights. */
class EmaTest extends EngineTest {

    @Test
    void averagesWithTheWarmUpAndSwapsBack() {
        Dense d = new Dense(1, 1);
        d.initialize(manager);
        NDArray w = d.getParameters().get(0).getValue().getArray();
        w.set(new float[] {0f});
        try (Ema ema = new Ema(d, manager, 0.5f)) {
            w.set(new float[] {1f});
            ema.update(); // d = min(0.5, 1/10) = 0.1: 0.1 * 0 + 0.9 * 1
            w.set(new float[] {3f});
            ema.update(); // d = min(0.5, 2/11): 0.1818 * 0.9 + 0.8182 * 3
            float expected = (2f / 11) * 0.9f + (9f / 11) * 3f;
            ema.swap();
            assertThat(w.toFloatArray()[0]).isCloseTo(expected, within(1e-5f));
            ema.swap();
            assertThat(w.toFloatArray()[0]).isEqualTo(3f);
        }
    }
}
