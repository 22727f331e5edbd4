package org.sdd4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;

/** GroupNorm against a plain-Java reference, and its gradients against central finite differences (float64). */
class GroupNormTest extends EngineTest {




    /** Reference: per sample and group, (x - mean) / sqrt(var + eps), biased variance. */
    private static double[] reference(double[] x, int b, int c, int hw, int groups, double[] gamma, double[] beta,
            double eps) {
        double[] out = new double[x.length];
        int per = c / groups;
        for (int n = 0; n < b; n++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                int count = per * hw;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < hw; i++) {
                        sum += x[(n * c + ch) * hw + i];
                    }
                }
                double mean = sum / count;
                double var = 0;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < hw; i++) {
                        double d = x[(n * c + ch) * hw + i] - mean;
                        var += d * d;
                    }
                }
                var /= count;
                for (int ch = g * per; ch < (g + 1) * per; ch++) {
                    for (int i = 0; i < hw; i++) {
                        int k = (n * c + ch) * hw + i;
                        out[k] = (x[k] - mean) / Math.sqrt(var + eps) * gamma[ch] + beta[ch];
                    }
                }
            }
        }
        return out;
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * 2 + 0.5;
        }
        return v;
    }

    @Test
    void forwardMatchesReference() {
        try (NDManager m = manager.newSubManager()) {
            GroupNorm gn = new GroupNorm(2, 4);
            gn.initialize(m);
            double[] gamma = {1.5, -0.5, 2.0, 0.3};
            double[] beta = {0.1, 0.2, -0.3, 0.0};
            gn.getParameters().get("gamma").getArray().set(toFloat(gamma));
            gn.getParameters().get("beta").getArray().set(toFloat(beta));
            double[] x = random(2 * 4 * 3 * 3, 1);
            NDArray in = m.create(toFloat(x), new Shape(2, 4, 3, 3));
            float[] out = gn.apply(new ParameterStore(m, false), in, false).toFloatArray();
            double[] ref = reference(x, 2, 4, 9, 2, gamma, beta, 1e-5);
            for (int i = 0; i < ref.length; i++) {
                assertThat((double) out[i]).isCloseTo(ref[i], within(1e-4));
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (NDManager m = manager.newSubManager()) {
            GroupNorm gn = new GroupNorm(2, 4);
            gn.initialize(m);
            double[] gamma = {1.5, -0.5, 2.0, 0.3};
            gn.getParameters().get("gamma").getArray().set(toFloat(gamma));
            // the reference is evaluated in float64, so the differences are exact to ~1e-9; the
            // engine's float32 gradients are compared with a float32 tolerance
            for (int i = 0; i < 4; i++) {
                gamma[i] = (float) gamma[i];
            }
            double[] x = roundToFloat(random(2 * 4 * 2 * 2, 2));
            double[] w = roundToFloat(random(x.length, 3)); // loss = sum(w * GN(x)), a generic linear functional
            NDArray in = m.create(toFloat(x), new Shape(2, 4, 2, 2));
            in.setRequiresGradient(true);
            NDArray wArr = m.create(toFloat(w), new Shape(2, 4, 2, 2));
            double[] gx;
            double[] gGamma;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = gn.apply(new ParameterStore(m, false), in, true).mul(wArr).sum();
                gc.backward(loss);
            }
            gx = toDouble(in.getGradient().toFloatArray());
            gGamma = toDouble(gn.getParameters().get("gamma").getArray().getGradient().toFloatArray());
            double h = 1e-6;
            double[] beta = new double[4];
            for (int i = 0; i < x.length; i += 3) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[i] += h;
                xm[i] -= h;
                double fd = (dot(w, reference(xp, 2, 4, 4, 2, gamma, beta, 1e-5))
                        - dot(w, reference(xm, 2, 4, 4, 2, gamma, beta, 1e-5))) / (2 * h);
                assertThat(gx[i]).as("d/dx[" + i + "]").isCloseTo(fd, within(2e-4 + 2e-4 * Math.abs(fd)));
            }
            for (int c = 0; c < 4; c++) {
                double[] gp = gamma.clone();
                double[] gm = gamma.clone();
                gp[c] += h;
                gm[c] -= h;
                double fd = (dot(w, reference(x, 2, 4, 4, 2, gp, beta, 1e-5))
                        - dot(w, reference(x, 2, 4, 4, 2, gm, beta, 1e-5))) / (2 * h);
                assertThat(gGamma[c]).as("d/dgamma[" + c + "]").isCloseTo(fd, within(2e-4 + 2e-4 * Math.abs(fd)));
            }
        }
    }

    @Test
    void refusesChannelsThatDoNotSplitIntoGroups() {
        assertThatThrownBy(() -> new GroupNorm(3, 8)).hasMessageContaining("8 channels").hasMessageContaining("3");
    }

    @Test
    void upsampleAndPoolAreInverseOnConstantsAndTimestepEmbeddingIsSinCos() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(4f).reshape(1, 1, 2, 2);
            NDArray up = Ops.upsample2x(x);
            assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            assertThat(up.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3);
            assertThat(Ops.avgPool2x(up).toFloatArray()).containsExactly(0, 1, 2, 3);
            float[] e = Ops.timestepEmbedding(m.create(new float[] {7f}), 4).toFloatArray();
            // frequencies exp(-ln(10000) * i / 2) for i = 0, 1: 1 and 0.01
            assertThat((double) e[0]).isCloseTo(Math.sin(7), within(1e-5));
            assertThat((double) e[1]).isCloseTo(Math.sin(0.07), within(1e-5));
            assertThat((double) e[2]).isCloseTo(Math.cos(7), within(1e-5));
            assertThat((double) e[3]).isCloseTo(Math.cos(0.07), within(1e-5));
        }
    }

    private static double[] toDouble(float[] f) {
        double[] o = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            o[i] = f[i];
        }
        return o;
    }

    private static double[] roundToFloat(double[] d) {
        double[] o = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            o[i] = (float) d[i];
        }
        return o;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
