package org.sdd4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepScore;

class HybridQualityScoreTest {

    @Test
    void entropyMatchesHandComputedValues() {
        // softmax of ln(1), ln(2), ln(3) is (1/6, 2/6, 3/6)
        double expected = -(1 / 6.0 * Math.log(1 / 6.0) + 2 / 6.0 * Math.log(2 / 6.0) + 3 / 6.0 * Math.log(3 / 6.0));
        assertThat(HybridQualityScore.softmaxEntropy(new double[] {0, Math.log(2), Math.log(3)}))
                .isCloseTo(expected, within(1e-12));
        // a constant map is uniform: ln n
        assertThat(HybridQualityScore.softmaxEntropy(new double[1000])).isCloseTo(Math.log(1000), within(1e-12));
        // small gradients: the entropy deficit (~1.6e-10 here) is far below float32's resolution at ln(3072)
        double[] tiny = new double[3072];
        tiny[0] = 1e-3;
        double p0 = Math.exp(1e-3) / (Math.exp(1e-3) + 3071);
        double pr = 1 / (Math.exp(1e-3) + 3071);
        double h = -(p0 * Math.log(p0) + 3071 * pr * Math.log(pr));
        assertThat(HybridQualityScore.softmaxEntropy(tiny)).isCloseTo(h, within(1e-12)).isLessThan(Math.log(3072));
    }

    @Test
    void concentratedStrongMapOutranksDiffuseWeakMap() {
        int n = 300;
        double[] concentrated = new double[n];
        for (int i = 0; i < 10; i++) {
            concentrated[i] = 12;
        }
        double[] diffuse = new double[n];
        for (int i = 0; i < n; i++) {
            diffuse[i] = 0.05 * ((i % 2) * 2 - 1);
        }
        double[] middle = new double[n];
        for (int i = 0; i < n; i++) {
            middle[i] = i % 3 == 0 ? 1 : 0;
        }
        double[][] maps = {diffuse, middle, concentrated};
        double[][] h = new double[1][3];
        double[][] l1 = new double[1][3];
        double[][] ce = new double[1][3];
        for (int j = 0; j < 3; j++) {
            h[0][j] = HybridQualityScore.softmaxEntropy(maps[j]);
            l1[0][j] = HybridQualityScore.l1(maps[j]);
            ce[0][j] = HybridQualityScore.softmaxEntropy(HybridQualityScore.channelMeanAbs(maps[j], 3));
        }
        List<TimestepScore> s = HybridQualityScore.score(new int[] {100, 500, 900}, h, l1, ce);
        assertThat(s.get(2).hqs()).isEqualTo(1.0);
        assertThat(s.get(0).hqs()).isEqualTo(-1.0);
        assertThat(HybridQualityScore.select(s, SelectionRule.largest())).containsExactly(900);
        assertThat(HybridQualityScore.select(s, SelectionRule.minimumEntropy())).containsExactly(900);
        assertThat(HybridQualityScore.select(s, SelectionRule.threshold(0.99))).containsExactly(900);
        assertThat(HybridQualityScore.select(s, SelectionRule.threshold(-0.99))).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void minimumEntropyRuleUsesTheChannelMeanEntropyOnly() {
        List<TimestepScore> s = List.of(new TimestepScore(100, 1, 1, 0, 1, 1.0, 0, 5.0),
                new TimestepScore(200, 1, 1, 0, 0, 0.0, 0, 2.0), new TimestepScore(300, 1, 1, 1, 0, -1.0, 0, 3.0));
        assertThat(HybridQualityScore.select(s, SelectionRule.minimumEntropy())).containsExactly(200);
        assertThat(HybridQualityScore.select(s, SelectionRule.largest())).containsExactly(100);
        assertThat(HybridQualityScore.select(s, SelectionRule.threshold(1.0))).as("none passes: the largest")
                .containsExactly(100);
    }

    @Test
    void scoresAverageOverImagesAndReportSpread() {
        double[][] h = {{1, 2}, {1, 2}};
        double[][] n = {{1, 2}, {2, 1}};
        double[][] ce = {{0, 0}, {0, 0}};
        List<TimestepScore> s = HybridQualityScore.score(new int[] {1, 2}, h, n, ce);
        // image 0: Nn = (0, 1), Hn = (0, 1) -> (0, 0); image 1: Nn = (1, 0), Hn = (0, 1) -> (1, -1)
        assertThat(s.get(0).hqs()).isEqualTo(0.5);
        assertThat(s.get(0).hqsStd()).isEqualTo(0.5);
        assertThat(s.get(1).hqs()).isEqualTo(-0.5);
        assertThat(HybridQualityScore.minMax(new double[] {3, 3})).containsExactly(0, 0);
    }
}
