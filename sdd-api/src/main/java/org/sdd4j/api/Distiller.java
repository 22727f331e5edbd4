package org.sdd4j.api;

import java.nio.file.Path;

/**
 * Trains a manipulator for one edit under the guidance of a frozen teacher (SDD, Algorithm 1):
 * score distillation at timesteps from a {@link TimestepSelection}, plus regularisers that keep
 * the edit faithful to the input. Writes atomic, resumable checkpoints and stops with a clear
 * error (keeping the last good checkpoint) if the loss becomes NaN or infinite.
 */
public interface Distiller {

    /**
     * Runs (or resumes) the distillation and writes the edit into the bundle.
     *
     * @param request what to learn and where to write it
     * @return the bundle folder, loadable with {@link Editor#load(Path)}
     */
    Path distill(DistillRequest request);
}
