package org.sdd4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;

class OpsTest extends EngineTest {

    /**
     * d/dx of f(x) summed, at x = 2, with a garbage collection and fresh small direct buffers (holding NaN) between
     * the forward and the backward pass: what freed Java memory would hand to a backward pass that reads it.
     */
    private static float gradientAfterCollection(UnaryOperator<NDArray> f) throws InterruptedException {
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = sm.full(new Shape(4), 2f);
            x.setRequiresGradient(true);
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray y = f.apply(x);
                List<ByteBuffer> churn = new ArrayList<>();
                System.gc();
                Thread.sleep(5);
                for (int k = 0; k < 64; k++) {
                    churn.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, Float.NaN));
                }
                gc.backward(y.sum());
                assertThat(churn).hasSize(64);
            }
            return x.getGradient().getFloat(0);
        }
    }

    @Test
    void scalarOperationsKeepTheirGradientsThroughAGarbageCollection() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(gradientAfterCollection(x -> Ops.mul(x, 3f))).isEqualTo(3f);
            assertThat(gradientAfterCollection(x -> Ops.div(x, 4f))).isEqualTo(0.25f);
            assertThat(gradientAfterCollection(x -> Ops.avgPool2x(x.reshape(1, 1, 2, 2)))).isEqualTo(0.25f);
            assertThat(gradientAfterCollection(x -> Ops.muli(x.mul(x), 3f))).isEqualTo(12f);
            // x = 2: the gradient passes where x is the larger, and is 0 where the number is
            assertThat(gradientAfterCollection(x -> Ops.maximum(x, 1f))).isEqualTo(1f);
            assertThat(gradientAfterCollection(x -> Ops.maximum(x, 3f))).isEqualTo(0f);
            assertThat(gradientAfterCollection(x -> Ops.minimum(x, 1f))).isEqualTo(0f);
            assertThat(gradientAfterCollection(x -> Ops.minimum(x, 3f))).isEqualTo(1f);
            assertThat(gradientAfterCollection(x -> Ops.softplus(x))).isCloseTo(0.8807971f,
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void scalarOperationsGiveTheNumberOverloadsValues() {
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = sm.create(new float[] {1f, -2f, 0.5f});
            assertThat(Ops.mul(x, 3f).toFloatArray()).containsExactly(x.mul(3f).toFloatArray());
            assertThat(Ops.div(x, 3f).toFloatArray()).containsExactly(x.div(3f).toFloatArray());
            assertThat(Ops.maximum(x, 0f).toFloatArray()).containsExactly(1f, 0f, 0.5f);
            assertThat(Ops.minimum(x, 0f).toFloatArray()).containsExactly(0f, -2f, 0f);
            NDArray y = x.duplicate();
            assertThat(Ops.muli(y, 3f)).isSameAs(y);
            assertThat(y.toFloatArray()).containsExactly(x.mul(3f).toFloatArray());
        }
    }
}
