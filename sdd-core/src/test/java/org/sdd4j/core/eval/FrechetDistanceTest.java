package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void identicalSetsAreAtDistanceZero() {
        Random r = new Random(1);
        List<float[]> a = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            float[] v = new float[6];
            for (int j = 0; j < 6; j++) {
                v[j] = (float) r.nextGaussian();
            }
            a.add(v);
        }
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, within(1e-9));
    }

    @Test
    void matchesTheClosedFormForDiagonalGaussians() {
        // diagonal covariances commute: FD = |m1 - m2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2
        double[] m1 = {0, 1, 2};
        double[] m2 = {1, 1, 0};
        double[][] s1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}};
        double[][] s2 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 4}};
        double expected = 1 + 0 + 4 + (2 - 1) * (2 - 1) + 0 + (3 - 2) * (3 - 2);
        assertThat(FrechetDistance.between(m1, s1, m2, s2)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void matchesTheClosedFormForRotatedGaussians() {
        // S1 = R diag(4, 1) R^T and S2 = I: FD = tr(S1) + 2 - 2 tr(S1^1/2) = 5 + 2 - 2 (2 + 1) = 1
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        double[][] s1 = {{4 * c * c + s * s, (4 - 1) * c * s}, {(4 - 1) * c * s, 4 * s * s + c * c}};
        double[][] id = {{1, 0}, {0, 1}};
        assertThat(FrechetDistance.between(new double[2], s1, new double[2], id)).isCloseTo(1, within(1e-9));
    }
}
