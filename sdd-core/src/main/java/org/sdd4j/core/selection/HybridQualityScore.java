package org.sdd4j.core.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepScore;

/**
 * The Hybrid Quality Score of SDD (Section 3.3), all in float64: for a gradient map d_t,
 * H_t = -sum p log p with p = softmax(d_t) over all entries, N_t = sum |d_t|; both min-max normalised
 * over the candidate timesteps, HQS_t = Nn_t - Hn_t, averaged over images. The paper code's
 * alternative is the entropy of softmax(mean over channels of |d_t|) over pixels.
 */
public final class HybridQualityScore {

    private HybridQualityScore() {}

    /** Entropy (nats) of softmax(values), computed stably in float64. */
    public static double softmaxEntropy(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double z = 0;
        double weighted = 0;
        for (double v : values) {
            double e = Math.exp(v - max);
            z += e;
            weighted += e * (v - max);
        }
        // H = -sum p log p = log Z - E_p[v - max]
        return Math.log(z) - weighted / z;
    }

    /** L1 norm. */
    public static double l1(double[] values) {
        double s = 0;
        for (double v : values) {
            s += Math.abs(v);
        }
        return s;
    }

    /** Mean over channels of |d| per pixel, for a CHW map. */
    public static double[] channelMeanAbs(double[] chw, int channels) {
        int hw = chw.length / channels;
        double[] out = new double[hw];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                out[i] += Math.abs(chw[c * hw + i]) / channels;
            }
        }
        return out;
    }

    /** (x - min) / (max - min); all zeros when the values are equal. */
    public static double[] minMax(double[] x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] out = new double[x.length];
        if (hi > lo) {
            for (int i = 0; i < x.length; i++) {
                out[i] = (x[i] - lo) / (hi - lo);
            }
        }
        return out;
    }

    /**
     * Scores candidates from per-image raw values.
     *
     * @param timesteps the candidates, in order
     * @param entropy entropy[image][candidate]
     * @param norm norm[image][candidate]
     * @param channelEntropy channelEntropy[image][candidate]
     * @return one score per candidate
     */
    public static List<TimestepScore> score(int[] timesteps, double[][] entropy, double[][] norm,
            double[][] channelEntropy) {
        int images = entropy.length;
        int k = timesteps.length;
        double[][] hn = new double[images][];
        double[][] nn = new double[images][];
        for (int i = 0; i < images; i++) {
            hn[i] = minMax(entropy[i]);
            nn[i] = minMax(norm[i]);
        }
        List<TimestepScore> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            double h = 0;
            double n = 0;
            double hNorm = 0;
            double nNorm = 0;
            double ce = 0;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < images; i++) {
                h += entropy[i][j] / images;
                n += norm[i][j] / images;
                hNorm += hn[i][j] / images;
                nNorm += nn[i][j] / images;
                ce += channelEntropy[i][j] / images;
                double q = nn[i][j] - hn[i][j];
                sum += q;
                sumSq += q * q;
            }
            double mean = sum / images;
            double std = Math.sqrt(Math.max(0, sumSq / images - mean * mean));
            out.add(new TimestepScore(timesteps[j], h, n, hNorm, nNorm, mean, std, ce));
        }
        return out;
    }

    /** Applies a selection rule; never returns an empty list. */
    public static List<Integer> select(List<TimestepScore> scores, SelectionRule rule) {
        TimestepScore best = scores.stream().max(Comparator.comparingDouble(TimestepScore::hqs)).orElseThrow();
        if (rule instanceof SelectionRule.MinimumEntropy) {
            return List.of(scores.stream().min(Comparator.comparingDouble(TimestepScore::channelMeanEntropy))
                    .orElseThrow().t());
        }
        if (rule instanceof SelectionRule.Threshold th) {
            List<Integer> s = scores.stream().filter(x -> x.hqs() > th.xi()).map(TimestepScore::t).toList();
            return s.isEmpty() ? List.of(best.t()) : s;
        }
        return List.of(best.t());
    }
}
