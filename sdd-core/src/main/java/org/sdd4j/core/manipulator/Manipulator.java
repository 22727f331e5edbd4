package org.sdd4j.core.manipulator;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.sdd4j.core.nn.Module;

/**
 * A trainable image manipulator f_phi: one forward pass from an input batch to its edit, both in the
 * space of the teacher (here NCHW pixels in [-1, 1]). It starts as the identity.
 */
public interface Manipulator {

    /** The architecture's name, recorded in bundles. */
    String architecture();

    /** Base width (the size knob), recorded in bundles. */
    int width();

    /** The block holding the parameters (for saving, loading and the optimiser). */
    Module block();

    /** y' = f_phi(y). */
    NDArray apply(ParameterStore ps, NDArray y, boolean training);

    /**
     * The edit and, for architectures that predict one, the soft mask (B, 1, H, W) in [0, 1] of where it
     * may change the image (null otherwise); the distiller puts an area cost on it.
     */
    default Output applyWithMask(ParameterStore ps, NDArray y, boolean training) {
        return new Output(apply(ps, y, training), null);
    }

    /** Whether {@link #applyWithMask} returns a mask. */
    default boolean predictsMask() {
        return false;
    }

    /** An edit and its mask (null when the architecture has none). */
    record Output(NDArray edited, NDArray mask) {}

    /**
     * Floating-point operations of one forward pass on one h x w image (multiply-adds count two), or
     * -1 when the architecture does not know; used to compare the achieved rate with the hardware's.
     */
    default long flops(int h, int w) {
        return -1;
    }
}
