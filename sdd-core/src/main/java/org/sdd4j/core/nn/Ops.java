package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/** Parameter-free operations shared by the networks. */
public final class Ops {

    private Ops() {}

    /**
     * A scalar constant in engine memory, for arithmetic inside a gradient collector. The
     * {@code mul(Number)} family wraps the number in a tensor over a Java buffer and closes it right
     * after the call, while autograd may keep that tensor for the backward pass.
     */
    public static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new ai.djl.ndarray.types.Shape(), value, like.getDataType());
    }

    /**
     * x * s. Use this, never {@code x.mul(s)} with a number: on PyTorch's CPU device DJL's number overloads of
     * {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum} put the number in a tensor that reads a
     * Java buffer and free that buffer as soon as the call returns, while the backward pass of these operations reads
     * the number again. After a garbage collection in between, the gradient is scaled by whatever the freed memory
     * then holds (tested in OpsTest; NumberOverloadsTest rejects the number overloads in every module's classes).
     */
    public static NDArray mul(NDArray x, float s) {
        return withConstant(x, s, NDArray::mul);
    }

    /** x / s; see {@link #mul(NDArray, float)} for why not {@code x.div(s)}. */
    public static NDArray div(NDArray x, float s) {
        return withConstant(x, s, NDArray::div);
    }

    /** max(x, s) elementwise; see {@link #mul(NDArray, float)} (its backward pass compares with s again). */
    public static NDArray maximum(NDArray x, float s) {
        return withConstant(x, s, NDArray::maximum);
    }

    /** min(x, s) elementwise; see {@link #maximum(NDArray, float)}. */
    public static NDArray minimum(NDArray x, float s) {
        return withConstant(x, s, NDArray::minimum);
    }

    /** x *= s in place; see {@link #mul(NDArray, float)}. */
    public static NDArray muli(NDArray x, float s) {
        return withConstant(x, s, NDArray::muli);
    }

    /** op(x, s) with s as a constant in engine memory, released once op has used it (the graph holds its own). */
    private static NDArray withConstant(NDArray x, float s, java.util.function.BinaryOperator<NDArray> op) {
        try (NDArray c = constant(x, s)) {
            return op.apply(x, c);
        }
    }

    /** log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so that it stays finite for large |x|. */
    public static NDArray softplus(NDArray x) {
        return maximum(x, 0f).add(x.abs().neg().exp().add(1f).log());
    }

    /** SiLU / swish: x * sigmoid(x) (Elfwing et al. 2018). */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** Nearest-neighbour 2x upsampling of (B, C, H, W), differentiable and engine-neutral. */
    public static NDArray upsample2x(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    /** 2x2 average pooling by reshaping (B, C, H, W) -> (B, C, H/2, W/2); avgPool is not on every engine. */
    public static NDArray avgPool2x(NDArray x) {
        long b = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return div(x.reshape(b, c, h / 2, 2, w / 2, 2).sum(new int[] {3, 5}), 4f);
    }

    /**
     * Sinusoidal embedding of timesteps (Vaswani et al. 2017, as used by DDPM): for frequencies
     * f_i = exp(-ln(10000) i / (d/2)), [sin(t f_i), cos(t f_i)].
     *
     * @param t timesteps, shape (B), float
     * @param dim embedding width (even)
     * @return shape (B, dim)
     */
    public static NDArray timestepEmbedding(NDArray t, int dim) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("timestep embedding width must be even, got " + dim);
        }
        int half = dim / 2;
        NDManager m = t.getManager();
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        NDArray args = t.reshape(-1, 1).mul(m.create(freqs).reshape(1, half));
        return args.sin().concat(args.cos(), 1);
    }

    /**
     * Where an edit changed its input, per pixel: min(1, max over channels |after - before| / scale), shape (B, 1, H,
     * W) for (B, C, H, W) inputs (differentiable).
     */
    public static NDArray changeWeight(NDArray before, NDArray after, float scale) {
        return minimum(div(after.sub(before).abs().max(new int[] {1}, true), scale), 1f);
    }
}
