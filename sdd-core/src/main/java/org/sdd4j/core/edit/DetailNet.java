package org.sdd4j.core.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Ops;

/**
 * The guided upsampler's network of the first release ({@code u-shape}): a small fully convolutional U-shape at
 * full, half and quarter resolution (85,131 parameters; H and W multiples of 4). Upsampler folders and bundles that
 * name no network have it; new upsamplers train a {@link SubpixelNet}.
 */
final class DetailNet extends UpsamplerNet {

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

    @Override
    int multiple() {
        return 4;
    }

    /** The refined edit: the upsampled edit (the first three channels of x) plus the net's correction. */
    @Override
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h1 = Ops.silu(in.apply(ps, x, training));
        NDArray h2 = Ops.silu(down1.apply(ps, h1, training));
        NDArray h4 = Ops.silu(down2.apply(ps, h2, training));
        h4 = Ops.silu(mid.apply(ps, h4, training));
        NDArray u2 = Ops.silu(up2.apply(ps, Ops.upsample2x(h4), training)).add(h2);
        NDArray u1 = Ops.silu(up1.apply(ps, Ops.upsample2x(u2), training)).add(h1);
        return x.get(":, 0:3").add(out.apply(ps, u1, training));
    }
}
