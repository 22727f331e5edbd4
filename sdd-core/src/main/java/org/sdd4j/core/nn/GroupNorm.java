package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He 2018): channels split into G groups, each normalised over its
 * channels and all pixels, then scaled and shifted per channel. DJL has no GroupNorm block.
 */
public final class GroupNorm extends Module {

    private final int groups;
    private final int channels;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    /** GroupNorm with epsilon 1e-5 (PyTorch's default). */
    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5f);
    }

    /** GroupNorm with a given epsilon. */
    public GroupNorm(int groups, int channels, float epsilon) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.epsilon = epsilon;
        gamma = param("gamma", Parameter.Type.GAMMA, new Shape(channels), Initializer.ONES);
        beta = param("beta", Parameter.Type.BETA, new Shape(channels), Initializer.ZEROS);
    }

    /** Normalises x (B, C, H, W). */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm expects (B, " + channels + ", H, W), got " + s);
        }
        // mean over several axes at once is missing in the PyTorch engine: flatten each group first.
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centred = g.sub(mean);
        NDArray var = centred.square().mean(new int[] {2}, true);
        NDArray normed = centred.div(var.add(epsilon).sqrt()).reshape(s);
        // views of the parameters would otherwise belong to the parameters' manager and pile up there
        NDArray ga = value(ps, gamma, x, training).reshape(1, channels, 1, 1);
        ga.attach(x.getManager());
        NDArray be = value(ps, beta, x, training).reshape(1, channels, 1, 1);
        be.attach(x.getManager());
        return normed.mul(ga).add(be);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
