package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A residual block with an embedding-driven scale and shift (FiLM; the "AdaGN" of Dhariwal and
 * Nichol 2021): x + conv(silu(GN(conv(silu(GN(x)))) * (1 + scale) + shift)).
 */
public final class ResBlock extends Module {

    private final int out;
    private final GroupNorm norm1;
    private final Conv conv1;
    private final Dense embProj;
    private final GroupNorm norm2;
    private final Conv conv2;
    private final Conv skip;

    /**
     * @param in input channels
     * @param out output channels
     * @param embDim width of the conditioning embedding (0 for none)
     * @param groups GroupNorm groups
     */
    public ResBlock(int in, int out, int embDim, int groups) {
        this.out = out;
        norm1 = addChildBlock("norm1", new GroupNorm(groups, in));
        conv1 = addChildBlock("conv1", new Conv(in, out, 3, 1));
        embProj = embDim > 0 ? addChildBlock("emb", new Dense(embDim, 2 * out)) : null;
        norm2 = addChildBlock("norm2", new GroupNorm(groups, out));
        // a small last layer keeps the block close to the identity at the start of training
        conv2 = addChildBlock("conv2", new Conv(out, out, 3, 1, Init.fanInUniform(0.1)));
        skip = in != out ? addChildBlock("skip", new Conv(in, out, 1, 1)) : null;
    }

    /** Applies the block; emb may be null when embDim was 0. */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        NDArray h = conv1.apply(ps, Ops.silu(norm1.apply(ps, x, training)), training);
        h = norm2.apply(ps, h, training);
        if (embProj != null) {
            NDArray ss = embProj.apply(ps, Ops.silu(emb), training);
            long b = ss.getShape().get(0);
            ai.djl.ndarray.NDList parts = ss.split(2, 1);
            NDArray scale = parts.get(0).reshape(b, out, 1, 1);
            NDArray shift = parts.get(1).reshape(b, out, 1, 1);
            h = h.mul(scale.add(1f)).add(shift);
        }
        h = conv2.apply(ps, Ops.silu(h), training);
        NDArray base = skip != null ? skip.apply(ps, x, training) : x;
        return base.add(h);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }
}
