package org.sdd4j.core.manipulator;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

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
    default NDArray apply(ParameterStore ps, NDArray y, boolean training) {
        return applyWithMask(ps, y, training).edited();
    }

    /**
     * The edit and, for architectures that predict one, the soft mask (B, 1, H, W) in [0, 1] of where it
     * may change the image (null otherwise); the distiller puts an area cost on it.
     */
    Output applyWithMask(ParameterStore ps, NDArray y, boolean training);

    /** Added to a mask logit so that a new masked manipulator starts with m = sigmoid(2) = 0.88 everywhere. */
    float MASK_BIAS = 2f;

    /** Whether {@link #applyWithMask} returns a mask. */
    default boolean predictsMask() {
        return false;
    }

    /**
     * How far the mask opens when editing (not in training): m' = min(1, gain m). 1 for architectures without a
     * mask.
     */
    default float maskGain() {
        return 1f;
    }

    /**
     * Sets the mask gain used when editing (see {@link org.sdd4j.api.DistillOptions#maskGain()}).
     *
     * @throws IllegalArgumentException for a gain other than 1 on an architecture without a mask, or a gain not > 0
     */
    default void maskGain(float gain) {
        checkedMaskGain(this, gain);
    }

    /**
     * The part of the mask closed when editing (not in training), before the gain opens the rest:
     * m' = min(1, gain max(0, m - floor) / (1 - floor)). 0 for architectures without a mask.
     */
    default float maskFloor() {
        return 0f;
    }

    /**
     * Sets the mask floor used when editing (see {@link org.sdd4j.api.DistillOptions#maskFloor()}).
     *
     * @throws IllegalArgumentException for a floor other than 0 on an architecture without a mask, or one outside
     *     [0, 1)
     */
    default void maskFloor(float floor) {
        checkedMaskFloor(this, floor);
    }

    /** A mask floor checked for a manipulator: in [0, 1), and 0 for one without a mask. */
    static float checkedMaskFloor(Manipulator m, float floor) {
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("the mask floor must be in [0, 1), got " + floor);
        }
        if (floor != 0f && !m.predictsMask()) {
            throw new IllegalArgumentException("a mask floor (" + floor + ") needs a manipulator that predicts a mask,"
                    + " not " + m.architecture());
        }
        return floor;
    }

    /** A mask gain checked for a manipulator: finite and > 0, and 1 for one without a mask. */
    static float checkedMaskGain(Manipulator m, float gain) {
        if (!(gain > 0) || Float.isInfinite(gain)) {
            throw new IllegalArgumentException("the mask gain must be a finite number > 0, got " + gain);
        }
        if (gain != 1f && !m.predictsMask()) {
            throw new IllegalArgumentException("a mask gain (" + gain + ") needs a manipulator that predicts a mask, not "
                    + m.architecture());
        }
        return gain;
    }

    /** An edit and its mask (null when the architecture has none). */
    record Output(NDArray edited, NDArray mask) {

        /**
         * y + change, or with a mask logit y + sigmoid(logit + {@link #MASK_BIAS}) * change: the one place
         * the masked architectures combine their change and their mask.
         *
         * @param y the input (B, 3, H, W)
         * @param change the change (B, 3, H, W)
         * @param logit the mask logit (B, 1, H, W), or null for an unmasked edit
         * @return the edit and its mask
         */
        public static Output of(NDArray y, NDArray change, NDArray logit) {
            return of(y, change, logit, 1f);
        }

        /**
         * As {@link #of(NDArray, NDArray, NDArray)} with the mask opened by {@code gain}: m' = min(1, gain m) (the
         * returned mask is m').
         */
        public static Output of(NDArray y, NDArray change, NDArray logit, float gain) {
            return of(y, change, logit, gain, 0f);
        }

        /**
         * As {@link #of(NDArray, NDArray, NDArray, float)} with the part of the mask below {@code floor} closed
         * first: m' = min(1, gain max(0, m - floor) / (1 - floor)) (the returned mask is m').
         */
        public static Output of(NDArray y, NDArray change, NDArray logit, float gain, float floor) {
            if (logit == null) {
                return new Output(y.add(change), null);
            }
            NDArray mask = ai.djl.nn.Activation.sigmoid(logit.add(MASK_BIAS));
            if (floor != 0f) {
                mask = Ops.mul(Ops.maximum(mask.sub(Ops.constant(mask, floor)), 0f), 1f / (1f - floor));
            }
            if (gain != 1f) {
                mask = Ops.minimum(Ops.mul(mask, gain), 1f);
            }
            return new Output(y.add(change.mul(mask)), mask);
        }
    }

    /**
     * Floating-point operations of one forward pass on one h x w image (multiply-adds count two), or
     * -1 when the architecture does not know; used to compare the achieved rate with the hardware's.
     */
    default long flops(int h, int w) {
        return -1;
    }
}
