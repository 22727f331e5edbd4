package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

/**
 * A block whose parameters all have explicit shapes, so it initialises without shape inference.
 * Every block of this library derives from it; it keeps DJL's parameter naming, saving and loading.
 */
public abstract class Module extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final Shape NO_SHAPE = new Shape(1);

    protected Module() {
        super(VERSION);
    }

    /** A parameter with an explicit shape and initialiser. */
    protected final Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(init).build());
    }

    /** Initialises every parameter (shapes are explicit, so no input shape is needed). */
    public final void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, NO_SHAPE);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " has explicit parameter shapes and does not infer output shapes");
    }

    /** The array of a parameter on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    /** Number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            n += p.getValue().getShape().size();
        }
        return n;
    }
}
