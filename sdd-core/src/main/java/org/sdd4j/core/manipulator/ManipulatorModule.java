package org.sdd4j.core.manipulator;

import org.sdd4j.core.nn.Module;

/** The state the manipulator architectures share: the mask gain used when editing (see {@link #maskGain(float)}). */
abstract class ManipulatorModule extends Module implements Manipulator {

    private float maskGain = 1f;

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
}
