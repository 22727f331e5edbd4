package org.sdd4j.core.manipulator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Init;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

/**
 * A frozen feature extractor for the identity loss: three strided convolutions with fixed random
 * weights (random convolutional features preserve perceptual structure well enough to anchor identity
 * on the embedded domain, and they need no pretrained weights). The caller freezes and seeds it.
 */
public final class FeatureNetwork extends Module {

    private final Conv c1;
    private final Conv c2;
    private final Conv c3;

    /** A 3 -> 16 -> 32 -> 32 channel extractor. */
    public FeatureNetwork() {
        c1 = addChildBlock("c1", new Conv(3, 16, 3, 2, Init.fanInUniform(Math.sqrt(2))));
        c2 = addChildBlock("c2", new Conv(16, 32, 3, 2, Init.fanInUniform(Math.sqrt(2))));
        c3 = addChildBlock("c3", new Conv(32, 32, 3, 1, Init.fanInUniform(Math.sqrt(2))));
    }

    /** Features of x (B, 3, H, W). */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Ops.silu(c1.apply(ps, x, training));
        h = Ops.silu(c2.apply(ps, h, training));
        return c3.apply(ps, h, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
