package org.sdd4j.core.manipulator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

/**
 * A small convolutional autoencoder of the data's images: the prior the {@link LatentManipulator} edits
 * in (as the paper's manipulator edits in StyleGAN's latent space). Images (B, 3, H, W) on [-1, 1] to
 * latents (B, {@value #LATENT}, H/4, W/4) and back.
 */
public final class AutoEncoder extends Module {

    /** Latent channels. */
    public static final int LATENT = 8;

    private final Conv e1;
    private final Conv e2;
    private final Conv e3;
    private final Conv e4;
    private final Conv d1;
    private final Conv d2;
    private final Conv d3;
    private final Conv d4;

    /** The autoencoder (about 120,000 parameters). */
    public AutoEncoder() {
        e1 = addChildBlock("e1", new Conv(3, 32, 3, 1));
        e2 = addChildBlock("e2", new Conv(32, 64, 3, 2));
        e3 = addChildBlock("e3", new Conv(64, 64, 3, 2));
        e4 = addChildBlock("e4", new Conv(64, LATENT, 1, 1));
        d1 = addChildBlock("d1", new Conv(LATENT, 64, 3, 1));
        d2 = addChildBlock("d2", new Conv(64, 64, 3, 1));
        d3 = addChildBlock("d3", new Conv(64, 32, 3, 1));
        d4 = addChildBlock("d4", new Conv(32, 3, 3, 1));
    }

    /** Images to latents. */
    public NDArray encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Ops.silu(e1.apply(ps, x, training));
        h = Ops.silu(e2.apply(ps, h, training));
        h = Ops.silu(e3.apply(ps, h, training));
        return e4.apply(ps, h, training);
    }

    /** Latents to images. */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = Ops.silu(d1.apply(ps, z, training));
        h = Ops.silu(d2.apply(ps, Ops.upsample2x(h), training));
        h = Ops.silu(d3.apply(ps, Ops.upsample2x(h), training));
        return d4.apply(ps, h, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(decode(ps, encode(ps, inputs.singletonOrThrow(), training), training));
    }
}
