package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** A 2-D convolution, NCHW, square kernel, "same"-style padding k/2. */
public final class Conv extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final Parameter weight;
    private final Parameter bias;

    /** A convolution with fan-in uniform weights (gain 1). */
    public Conv(int in, int out, int kernel, int stride) {
        this(in, out, kernel, stride, Init.fanInUniform(1.0));
    }

    /** A convolution with a given weight initialiser (zeros gives a zero-output layer). */
    public Conv(int in, int out, int kernel, int stride, Initializer weightInit) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel), weightInit);
        bias = param("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS);
    }

    /** Applies the convolution to x (B, in, H, W). */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != in) {
            throw new IllegalArgumentException("conv expects (B, " + in + ", H, W), got " + x.getShape());
        }
        int p = kernel / 2;
        return Conv2d.conv2d(x, value(ps, weight, x, training), value(ps, bias, x, training),
                new Shape(stride, stride), new Shape(p, p), new Shape(1, 1), 1).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** Output channels. */
    public int outChannels() {
        return out;
    }
}
