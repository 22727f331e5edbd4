package org.sdd4j.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/** Weight initialisers. */
public final class Init {

    private Init() {}

    /**
     * Uniform in +-gain*sqrt(3/fan_in): variance gain^2/fan_in (He et al. 2015 with gain sqrt(2) for
     * ReLU-like activations).
     */
    public static Initializer fanInUniform(double gain) {
        return (manager, shape, dataType) -> {
            long fanIn = fanIn(shape);
            float bound = (float) (gain * Math.sqrt(3.0 / fanIn));
            return manager.randomUniform(-bound, bound, shape, dataType);
        };
    }

    /** Fan-in of a weight: everything but the first dimension (out channels / out features). */
    static long fanIn(Shape shape) {
        return Math.max(1, shape.size() / shape.get(0));
    }

    /** All zeros: a layer that starts as the identity's residual (outputs nothing). */
    public static Initializer zeros() {
        return Initializer.ZEROS;
    }
}
