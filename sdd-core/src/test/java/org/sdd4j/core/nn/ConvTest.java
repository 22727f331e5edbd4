package org.sdd4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;

/** The matrix-product convolution equals a direct summation and has the convolution's gradients. */
class ConvTest extends EngineTest {

    @Test
    void matmulConvolutionEqualsADirectSum() {
        manager.getEngine().setRandomSeed(3);
        Conv conv = new Conv(3, 2, 3, 1);
        conv.initialize(manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray bias = conv.getParameters().get("bias").getArray();
        bias.addi(manager.create(new float[] {0.25f, -0.5f}));
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(2, 3, 5, 4));
        float[] got = conv.applyAsMatmul(ps, x, false).toFloatArray();
        float[] xs = x.toFloatArray();
        float[] ws = conv.getParameters().get("weight").getArray().toFloatArray();
        float[] bs = bias.toFloatArray();
        int k = 0;
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 4; j++) {
                        double sum = bs[o];
                        for (int c = 0; c < 3; c++) {
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    int yi = i + dy;
                                    int xj = j + dx;
                                    if (yi >= 0 && yi < 5 && xj >= 0 && xj < 4) {
                                        sum += ws[((o * 3 + c) * 3 + dy + 1) * 3 + dx + 1]
                                                * xs[((n * 3 + c) * 5 + yi) * 4 + xj];
                                    }
                                }
                            }
                        }
                        assertThat(got[k++]).isCloseTo((float) sum, Offset.offset(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void itsGradientsAreTheConvolutions() {
        manager.getEngine().setRandomSeed(4);
        Conv conv = new Conv(3, 4, 3, 1);
        conv.initialize(manager);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(2, 3, 6, 6));
        NDArray r = manager.randomUniform(-1f, 1f, new Shape(2, 4, 6, 6));
        x.setRequiresGradient(true);
        float[][] viaMatmul = gradients(conv, ps, x, r, true);
        float[][] viaConv = gradients(conv, ps, x, r, false);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < viaConv[i].length; j++) {
                assertThat(viaMatmul[i][j]).isCloseTo(viaConv[i][j], Offset.offset(1e-4f));
            }
        }
        assertThatThrownBy(() -> new Conv(3, 4, 1, 1).applyAsMatmul(ps, x, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3x3");
    }

    private static float[][] gradients(Conv conv, ParameterStore ps, NDArray x, NDArray r, boolean matmul) {
        NDArray w = conv.getParameters().get("weight").getArray();
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            NDArray y = matmul ? conv.applyAsMatmul(ps, x, true) : conv.apply(ps, x, true);
            gc.backward(y.mul(r).sum());
        }
        float[][] out = {w.getGradient().toFloatArray(), x.getGradient().toFloatArray()};
        w.getGradient().subi(w.getGradient());
        x.getGradient().subi(x.getGradient());
        return out;
    }
}
