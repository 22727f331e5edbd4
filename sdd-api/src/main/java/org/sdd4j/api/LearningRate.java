package org.sdd4j.api;

/** The one validation of learning rates, shared by every trainer's options. */
public final class LearningRate {

    private LearningRate() {}

    /**
     * Checks a learning rate.
     *
     * @param lr the rate
     * @param what whose rate, for the message (e.g. {@code "distillation"})
     * @return the rate
     * @throws IllegalArgumentException unless the rate is finite and >= 0 (0 keeps the weights, for checks)
     */
    public static float check(float lr, String what) {
        if (!Float.isFinite(lr) || lr < 0) {
            throw new IllegalArgumentException("the " + what + " learning rate must be a finite number >= 0, such as"
                    + " 0.001; got " + lr);
        }
        return lr;
    }
}
