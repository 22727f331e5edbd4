package org.sdd4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A frozen, text-conditional diffusion model used as the teacher of SDD.
 *
 * <p>The teacher only predicts noise; the score-distillation gradient built from that prediction
 * is computed once, by the library, from {@link #predictNoise} and {@link #schedule()}.
 * Implementations are thread-safe for concurrent {@code predictNoise} calls.
 */
public interface DiffusionTeacher extends AutoCloseable {

    /** A short identity, for example {@code faceworld-unet-32}; recorded in editor manifests. */
    String id();

    /** SHA-256 of the teacher's weights (hex), recorded in editor manifests. */
    String checksum();

    /** The forward process the teacher was trained with. */
    NoiseSchedule schedule();

    /** The space x_t lives in. */
    TeacherSpace space();

    /** What the network predicts; {@link #predictNoise} always returns epsilon. */
    PredictionType predictionType();

    /**
     * Encodes a prompt and the empty prompt once, for reuse across many calls.
     *
     * @param prompt the text, for example {@code "a smiling face"}
     * @param manager the manager that will own the embeddings
     * @return the conditioning
     */
    Conditioning encode(String prompt, NDManager manager);

    /**
     * Encodes a prompt with a negative prompt in place of the empty one: guidance then pushes away from
     * the negative prompt (eps_neg + s (eps_c - eps_neg)), which concentrates the SDS gradient on what
     * distinguishes the two prompts. An empty negative prompt is plain classifier-free guidance.
     *
     * @param prompt the target prompt
     * @param negativePrompt the prompt to move away from, or empty
     * @param manager the manager that will own the embeddings
     * @return the conditioning
     */
    default Conditioning encode(String prompt, String negativePrompt, NDManager manager) {
        if (negativePrompt == null || negativePrompt.isEmpty()) {
            return encode(prompt, manager);
        }
        throw new UnsupportedOperationException("teacher " + id() + " does not support negative prompts");
    }

    /**
     * Predicts the guided noise eps_u + s * (eps_c - eps_u) for a batch (classifier-free guidance,
     * Ho and Salimans 2022). One batched network call evaluates both branches.
     *
     * @param xt noisy samples, shape (B, C, H, W) of {@link #space()}
     * @param timesteps one timestep per sample, each in [0, T)
     * @param conditioning the encoded prompt
     * @param guidanceScale s; 1 gives the conditional prediction, 0 the unconditional one
     * @return epsilon, shape (B, C, H, W), attached to {@code xt}'s manager
     */
    NDArray predictNoise(NDArray xt, int[] timesteps, Conditioning conditioning, float guidanceScale);

    @Override
    void close();
}
