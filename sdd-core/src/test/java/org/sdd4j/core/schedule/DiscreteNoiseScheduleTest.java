package org.sdd4j.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Reference values: alpha-bar of the DDPM linear schedule and of Stable Diffusion's scaled_linear
 * schedule as published in the diffusers scheduler tables (alphas_cumprod), and the products
 * computed here independently with BigDecimal-free log sums.
 */
class DiscreteNoiseScheduleTest {

    /** alpha-bar_t = prod (1 - beta_s), evaluated as exp(sum log(1 - beta_s)): a second route to the same number. */
    private static double alphaBarViaLogs(double[] betas, int t) {
        double s = 0;
        for (int i = 0; i <= t; i++) {
            s += Math.log1p(-betas[i]);
        }
        return Math.exp(s);
    }

    @Test
    void stableDiffusionScaledLinearMatchesPublishedEndpoints() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.scaledLinear(1000);
        // diffusers: alphas_cumprod[0] = 1 - 0.00085 = 0.99915, alphas_cumprod[999] ~= 0.0047
        assertThat(s.alphaBar(0)).isCloseTo(0.99915, within(1e-12));
        assertThat(s.alphaBar(999)).isCloseTo(0.0047, within(5e-5));
        assertThat(s.beta(999)).isCloseTo(0.012, within(1e-12));
    }

    @Test
    void ddpmLinearMatchesPublishedEndpoint() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.linear(1000);
        // Ho et al. 2020 schedule: alpha-bar_T ~= 4.0e-5
        assertThat(s.alphaBar(999)).isCloseTo(4.036e-5, within(2e-7));
        assertThat(s.alphaBar(0)).isCloseTo(0.9999, within(1e-12));
    }

    @Test
    void cumulativeProductAgreesWithLogSum() {
        for (String name : new String[] {"linear", "scaled_linear", "cosine"}) {
            DiscreteNoiseSchedule s = DiscreteNoiseSchedule.byName(name, 1000);
            double[] betas = new double[1000];
            for (int i = 0; i < 1000; i++) {
                betas[i] = s.beta(i);
            }
            for (int t : new int[] {0, 1, 10, 250, 500, 999}) {
                assertThat(s.alphaBar(t)).as(name + " t=" + t).isCloseTo(alphaBarViaLogs(betas, t), within(1e-12));
            }
        }
    }

    @Test
    void cosineFollowsItsClosedForm() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.cosine(1000);
        // closed form f(t)/f(0), f(u) = cos^2((u + s)/(1 + s) * pi/2), valid while no beta is clipped
        for (int t : new int[] {0, 100, 500, 900}) {
            double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
            double ft = Math.pow(Math.cos(((t + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            assertThat(s.alphaBar(t)).as("t=" + t).isCloseTo(ft / f0, within(1e-9));
        }
        assertThat(s.beta(999)).isEqualTo(0.999);
    }

    @Test
    void alphaBarDecreasesMonotonically() {
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.scaledLinear(1000);
        for (int t = 1; t < 1000; t++) {
            assertThat(s.alphaBar(t)).isLessThan(s.alphaBar(t - 1));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> DiscreteNoiseSchedule.byName("sigmoid", 1000))
                .hasMessageContaining("sigmoid").hasMessageContaining("linear");
        DiscreteNoiseSchedule s = DiscreteNoiseSchedule.linear(1000);
        assertThatThrownBy(() -> s.alphaBar(1000)).hasMessageContaining("1000");
        assertThatThrownBy(() -> DiscreteNoiseSchedule.linear(10, 0.5, 1.5)).hasMessageContaining("outside (0, 1)");
    }
}
