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

    /**
     * The same convolution computed as nine shifted copies of the input and one matrix product (3x3, stride 1 only),
     * so that no oneDNN convolution kernel runs, forward or backward. On this project's build machines oneDNN's
     * backward pass for small inputs (8x8 and 4x4) now and then returned NaN weight gradients, and once a heap
     * corruption, even at SSE4.1 (see the README's CPU note); the critic, whose last layers are that small, uses this.
     * About as fast as oneDNN for such small inputs.
     */
    public NDArray applyAsMatmul(ParameterStore ps, NDArray x, boolean training) {
        if (kernel != 3 || stride != 1) {
            throw new IllegalArgumentException("applyAsMatmul computes 3x3 convolutions of stride 1, not " + kernel
                    + "x" + kernel + " of stride " + stride);
        }
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != in) {
            throw new IllegalArgumentException("conv expects (B, " + in + ", H, W), got " + x.getShape());
        }
        long n = x.getShape().get(0);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray p = x.pad(new Shape(1, 1, 1, 1), 0);
        NDList shifted = new NDList(9);
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                shifted.add(p.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + w)));
            }
        }
        // (n, in, 9, h, w): channel-major, then kernel row and column, as the weight (out, in, 3, 3) is laid out
        NDArray columns = ai.djl.ndarray.NDArrays.stack(shifted, 2).reshape(n, in * 9L, h * w);
        NDArray y = value(ps, weight, x, training).reshape(out, in * 9L).matMul(columns);
        return y.reshape(n, out, h, w).add(value(ps, bias, x, training).reshape(1, out, 1, 1));
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
