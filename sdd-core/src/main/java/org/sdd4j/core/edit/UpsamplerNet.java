package org.sdd4j.core.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Module;

/**
 * The network of a {@link GuidedUpsampler}: from the edit upsampled to the image's size and the original image
 * (six channels, B x 6 x H x W in [-1, 1], H and W multiples of {@link #multiple()}) to the refined edit
 * (B x 3 x H x W): the upsampled edit plus a correction whose last layer starts at zero, so an untrained network
 * returns the plain upsampled edit.
 */
abstract class UpsamplerNet extends Module {

    /** The refined edit. */
    abstract NDArray apply(ParameterStore ps, NDArray x, boolean training);

    /** What the input's height and width must be a multiple of. */
    abstract int multiple();

    @Override
    protected final NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
