package org.sdd4j.api;

/**
 * The scores of one candidate timestep, averaged over the sample images.
 *
 * @param t the timestep
 * @param entropy H_t: entropy of softmax(d_t) over all entries of the gradient map (nats)
 * @param norm N_t: L1 norm of the gradient map
 * @param entropyNormalized Hn_t: H_t min-max normalised over the candidates, per image, then averaged
 * @param normNormalized Nn_t: N_t min-max normalised over the candidates, per image, then averaged
 * @param hqs HQS_t = mean over images of (Nn_t - Hn_t), the paper's Hybrid Quality Score
 * @param hqsStd standard deviation of (Nn_t - Hn_t) over the sample images
 * @param channelMeanEntropy entropy of softmax(mean over channels of |d_t|) over pixels: the
 *     quantity the paper's released code minimises
 */
public record TimestepScore(int t, double entropy, double norm, double entropyNormalized,
        double normNormalized, double hqs, double hqsStd, double channelMeanEntropy) {}
