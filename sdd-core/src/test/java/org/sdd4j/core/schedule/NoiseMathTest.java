package org.sdd4j.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.api.PredictionType;

/** Batched noise arithmetic against scalar closed forms written out here. */
class NoiseMathTest extends EngineTest {

    private static final DiscreteNoiseSchedule S = DiscreteNoiseSchedule.scaledLinear(1000);



    @Test
    void addNoiseUsesEachSamplesOwnTimestep() {
        int[] t = {0, 500, 999};
        NDArray x0 = manager.create(new float[] {0.5f, -0.25f, 1f}).reshape(3, 1, 1, 1);
        NDArray eps = manager.create(new float[] {1f, 2f, -1f}).reshape(3, 1, 1, 1);
        float[] xt = NoiseMath.addNoise(S, x0, eps, t).toFloatArray();
        double[] x0v = {0.5, -0.25, 1};
        double[] ev = {1, 2, -1};
        for (int i = 0; i < 3; i++) {
            double a = S.alphaBar(t[i]);
            assertThat((double) xt[i]).isCloseTo(Math.sqrt(a) * x0v[i] + Math.sqrt(1 - a) * ev[i], within(1e-5));
        }
    }

    @Test
    void conversionsRoundTripBetweenEpsilonX0AndVelocity() {
        int[] t = {10, 400, 900};
        NDArray x0 = manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 2, 2, 2));
        NDArray eps = manager.randomNormal(x0.getShape());
        NDArray xt = NoiseMath.addNoise(S, x0, eps, t);
        NDArray v = NoiseMath.velocity(S, x0, eps, t);
        assertThat(maxDiff(NoiseMath.x0FromEpsilon(S, xt, eps, t), x0)).isLessThan(2e-4f);
        assertThat(maxDiff(NoiseMath.epsilonFromX0(S, xt, x0, t), eps)).isLessThan(2e-4f);
        assertThat(maxDiff(NoiseMath.epsilonFromVelocity(S, xt, v, t), eps)).isLessThan(2e-4f);
        assertThat(maxDiff(NoiseMath.x0FromVelocity(S, xt, v, t), x0)).isLessThan(2e-4f);
        assertThat(maxDiff(NoiseMath.toEpsilon(S, PredictionType.V_PREDICTION, xt, v, t), eps)).isLessThan(2e-4f);
        assertThat(maxDiff(NoiseMath.toEpsilon(S, PredictionType.SAMPLE, xt, x0, t), eps)).isLessThan(2e-4f);
    }

    @Test
    void velocityMatchesItsDefinition() {
        int[] t = {300};
        NDArray x0 = manager.create(new float[] {0.7f}).reshape(1, 1, 1, 1);
        NDArray eps = manager.create(new float[] {-0.3f}).reshape(1, 1, 1, 1);
        double a = S.alphaBar(300);
        assertThat((double) NoiseMath.velocity(S, x0, eps, t).getFloat(0, 0, 0, 0))
                .isCloseTo(Math.sqrt(a) * -0.3 - Math.sqrt(1 - a) * 0.7, within(1e-6));
    }

    @Test
    void ddimStepWithEtaZeroMatchesSongEtAlEquation12() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.linear(1000);
        NDArray xt = manager.create(new float[] {0.3f}).reshape(1, 1, 1, 1);
        NDArray eps = manager.create(new float[] {0.8f}).reshape(1, 1, 1, 1);
        double at = s.alphaBar(600);
        double ap = s.alphaBar(580);
        double x0 = (0.3 - Math.sqrt(1 - at) * 0.8) / Math.sqrt(at);
        double expected = Math.sqrt(ap) * Math.max(-1, Math.min(1, x0)) + Math.sqrt(1 - ap) * 0.8;
        float got = Ddim.step(s, xt, eps, 600, 580, 0.0, null, true).getFloat(0, 0, 0, 0);
        assertThat((double) got).isCloseTo(expected, within(1e-5));
    }

    @Test
    void ddimLastStepReturnsPredictedX0AndEtaAddsTheRightNoise() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.linear(1000);
        NDArray xt = manager.create(new float[] {0.2f}).reshape(1, 1, 1, 1);
        NDArray eps = manager.create(new float[] {0.1f}).reshape(1, 1, 1, 1);
        double at = s.alphaBar(20);
        double x0 = (0.2 - Math.sqrt(1 - at) * 0.1) / Math.sqrt(at);
        assertThat((double) Ddim.step(s, xt, eps, 20, -1, 0.0, null, false).getFloat(0, 0, 0, 0))
                .isCloseTo(x0, within(1e-5));
        // eta = 1: sigma = sqrt((1-ap)/(1-at)) sqrt(1 - at/ap)
        double at2 = s.alphaBar(500);
        double ap2 = s.alphaBar(480);
        double sigma = Math.sqrt((1 - ap2) / (1 - at2)) * Math.sqrt(1 - at2 / ap2);
        NDArray z = manager.create(new float[] {1f}).reshape(1, 1, 1, 1);
        float withNoise = Ddim.step(s, xt, eps, 500, 480, 1.0, z, false).getFloat(0, 0, 0, 0);
        double x0b = (0.2 - Math.sqrt(1 - at2) * 0.1) / Math.sqrt(at2);
        double expected = Math.sqrt(ap2) * x0b + Math.sqrt(1 - ap2 - sigma * sigma) * 0.1 + sigma;
        assertThat((double) withNoise).isCloseTo(expected, within(1e-5));
    }

    @Test
    void ddimTimestepsAreTrailingAndDecreasing() {
        assertThat(Ddim.timesteps(1000, 4)).containsExactly(999, 749, 499, 249);
        assertThat(Ddim.timesteps(1000, 50)[0]).isEqualTo(999);
        assertThat(Ddim.timesteps(1000, 50)[49]).isEqualTo(19);
    }

    private static float maxDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
