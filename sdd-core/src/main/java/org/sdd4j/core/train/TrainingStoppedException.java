package org.sdd4j.core.train;

/** A training run stopped on request after a completed step; its checkpoint lets it resume. */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The exception. */
    public TrainingStoppedException(String message) {
        super(message);
    }
}
