package org.sdd4j.core.manipulator;

import org.sdd4j.core.nn.Module;

/**
 * The state the manipulator architectures share: the mask gain and floor used when editing (see
 * {@link #maskGain(float)}, {@link #maskFloor(float)}).
 */
abstract class ManipulatorModule extends Module implements Manipulator {

    private float maskGain = 1f;
    private float maskFloor = 0f;

    @Override
    public float maskGain() {
        return maskGain;
    }

    @Override
    public void maskGain(float gain) {
        maskGain = Manipulator.checkedMaskGain(this, gain);
    }

    /** The gain to open the mask by: 1 in training, the set gain when editing. */
    float maskGain(boolean training) {
        return training ? 1f : maskGain;
    }

    @Override
    public float maskFloor() {
        return maskFloor;
    }

    @Override
    public void maskFloor(float floor) {
        maskFloor = Manipulator.checkedMaskFloor(this, floor);
    }

    /** The part of the mask to close: 0 in training, the set floor when editing. */
    float maskFloor(boolean training) {
        return training ? 0f : maskFloor;
    }
}
