package org.sdd4j.api;

/** Receives progress of long runs (distillation, teacher training). Called from the training thread. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = p -> {};

    /** Called after each step. */
    void onStep(TrainingProgress progress);

    /** Called with a short message (checkpoint written, resumed from step N, ...). */
    default void onMessage(String message) {}
}
