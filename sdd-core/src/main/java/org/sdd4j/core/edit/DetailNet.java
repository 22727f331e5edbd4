package org.sdd4j.core.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

/**
 * The network of a {@link GuidedUpsampler}: from the edit upsampled to the image's size and the original
 * image (six channels, B x 6 x H x W, H and W multiples of 4) to a correction of the upsampled edit. A small
 * fully convolutional U-shape (full, half and quarter resolution, 85,131 parameters) whose last layer
 * starts at zero, so an untrained net returns the plain upsampled edit.
 */
final class DetailNet extends Module {

    private final Conv in;
    private final Conv down1;
    private final Conv down2;
    private final Conv mid;
    private final Conv up2;
    private final Conv up1;
    private final Conv out;

    DetailNet() {
        in = addChildBlock("in", new Conv(6, 24, 3, 1));
        down1 = addChildBlock("down1", new Conv(24, 48, 3, 2));
        down2 = addChildBlock("down2", new Conv(48, 48, 3, 2));
        mid = addChildBlock("mid", new Conv(48, 48, 3, 1));
        up2 = addChildBlock("up2", new Conv(48, 48, 3, 1));
        up1 = addChildBlock("up1", new Conv(48, 24, 3, 1));
        out = addChildBlock("out", new Conv(24, 3, 3, 1, Initializer.ZEROS));
    }

    /** The refined edit: the upsampled edit (the first three channels of x) plus the net's correction. */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h1 = Ops.silu(in.apply(ps, x, training));
        NDArray h2 = Ops.silu(down1.apply(ps, h1, training));
        NDArray h4 = Ops.silu(down2.apply(ps, h2, training));
        h4 = Ops.silu(mid.apply(ps, h4, training));
        NDArray u2 = Ops.silu(up2.apply(ps, Ops.upsample2x(h4), training)).add(h2);
        NDArray u1 = Ops.silu(up1.apply(ps, Ops.upsample2x(u2), training)).add(h1);
        return x.get(":, 0:3").add(out.apply(ps, u1, training));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
