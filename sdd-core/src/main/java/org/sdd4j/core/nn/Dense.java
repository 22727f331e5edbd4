package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** A fully connected layer y = x W^T + b on (B, in). */
public final class Dense extends Module {

    private final int in;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer with fan-in uniform weights. */
    public Dense(int in, int out) {
        this(in, out, Init.fanInUniform(1.0));
    }

    /** A layer with a given weight initialiser. */
    public Dense(int in, int out, Initializer weightInit) {
        this.in = in;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in), weightInit);
        bias = param("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS);
    }

    /** Applies the layer to x (B, in). */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        if (x.getShape().get(x.getShape().dimension() - 1) != in) {
            throw new IllegalArgumentException("dense layer expects " + in + " features, got " + x.getShape());
        }
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training)).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }
}
