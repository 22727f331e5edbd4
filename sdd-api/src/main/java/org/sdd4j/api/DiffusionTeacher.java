package org.sdd4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A frozen, text-conditional diffusion model used as the teacher of SDD.
 *
 * <p>A teacher only runs its network: {@link #embed} turns prompts into the embeddings it takes, and
 * {@link #predict} returns its raw output (in {@link #predictionType()}) for one embedding row per
 * sample. The library does the rest once, for every teacher: it validates inputs, converts the output
 * to epsilon, combines classifier-free guidance (skipping the unconditional branch at scale 1), and
 * builds the score-distillation gradient. Implementations are thread-safe for concurrent calls.
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

    /**
     * The size of the square images the teacher sees, in pixels: {@code space().height()} for a pixel
     * teacher, the decoder's output size for a latent one (e.g. 512 for Stable Diffusion 1.x).
     */
    default int imageSize() {
        return space().height();
    }

    /**
     * Maps images to the teacher's space x_0: the identity for pixel teachers, the VAE encoder (scaled)
     * for latent ones. Differentiable: the library calls it inside a gradient collector so that a
     * gradient formed in the teacher's space reaches the pixels. Everything that needs the teacher's
     * view of an image (score distillation, the timestep search, SDEdit) goes through this method.
     *
     * @param images shape (B, 3, imageSize, imageSize), RGB on the [-1, 1] scale
     * @return x_0, shape (B, C, H, W) of {@link #space()}, attached to the images' manager
     */
    default NDArray toTeacherSpace(NDArray images) {
        return images;
    }

    /**
     * Maps x_0 of the teacher's space back to images: the identity for pixel teachers, the VAE decoder
     * for latent ones (samples, SDEdit results).
     *
     * @param x0 shape (B, C, H, W) of {@link #space()}
     * @return images, shape (B, 3, imageSize, imageSize), on about the [-1, 1] scale
     */
    default NDArray toImages(NDArray x0) {
        return x0;
    }

    /** What {@link #predict} returns: epsilon, v or the clean sample. */
    PredictionType predictionType();

    /**
     * Encodes prompts, one embedding row per prompt (the empty string is the unconditional prompt).
     *
     * @param prompts the texts
     * @param manager the manager that will own the embeddings
     * @return embeddings of shape (N, ...)
     */
    NDArray embed(List<String> prompts, NDManager manager);

    /**
     * Runs the network once on a batch, without guidance. The library has checked the shapes and the
     * timesteps before calling.
     *
     * @param xt noisy samples, shape (B, C, H, W) of {@link #space()}
     * @param timesteps one timestep per sample, each in [0, T)
     * @param embeddings one row of {@link #embed} per sample, shape (B, ...)
     * @return the prediction in {@link #predictionType()}, shape (B, C, H, W), attached to {@code xt}'s manager
     */
    NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings);

    /**
     * Encodes a prompt and the prompt guidance moves away from (the empty prompt for plain
     * classifier-free guidance; a negative prompt concentrates the guidance on what distinguishes the
     * two), once, for reuse across many calls.
     *
     * @param prompt the target prompt
     * @param negativePrompt the prompt to move away from, or empty
     * @param manager the manager that will own the embeddings
     * @return the conditioning
     */
    default Conditioning encode(String prompt, String negativePrompt, NDManager manager) {
        String negative = negativePrompt == null ? "" : negativePrompt;
        NDArray both = embed(List.of(prompt, negative), manager);
        if (both.getShape().get(0) != 2) {
            throw new IllegalStateException("teacher " + id() + " embedded 2 prompts into " + both.getShape().get(0)
                    + " rows");
        }
        Conditioning c = new Conditioning(prompt, negative, both.get("0:1"), both.get("1:2"));
        return c;
    }

    /** {@link #encode(String, String, NDManager)} with the empty prompt as the unconditional one. */
    default Conditioning encode(String prompt, NDManager manager) {
        return encode(prompt, "", manager);
    }

    @Override
    void close();
}
