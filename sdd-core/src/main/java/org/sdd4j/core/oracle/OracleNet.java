package org.sdd4j.core.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Dense;
import org.sdd4j.core.nn.Init;
import org.sdd4j.core.nn.Module;

/**
 * The attribute classifier that judges edits. Deliberately unlike the teacher: a plain VGG-style
 * network (3x3 convolutions, ReLU, max pooling, no normalisation, no skip connections, global average
 * pooling), a 128-wide penultimate layer (the features of the Frechet distance) and one linear head
 * per attribute, all heads concatenated in the output.
 */
public final class OracleNet extends Module {

    /** Width of the penultimate features. */
    public static final int FEATURES = 128;

    private final Conv c1;
    private final Conv c2;
    private final Conv c3;
    private final Conv c4;
    private final Dense fc;
    private final Dense heads;

    /** An oracle with the given total number of classes over all heads. */
    public OracleNet(int totalClasses) {
        c1 = addChildBlock("c1", new Conv(3, 32, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        c2 = addChildBlock("c2", new Conv(32, 64, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        c3 = addChildBlock("c3", new Conv(64, 64, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        c4 = addChildBlock("c4", new Conv(64, 128, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        fc = addChildBlock("fc", new Dense(128, FEATURES, Init.fanInUniform(Math.sqrt(2))));
        heads = addChildBlock("heads", new Dense(FEATURES, totalClasses));
    }

    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** Penultimate features (B, 128). */
    public NDArray features(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = pool(Activation.relu(c1.apply(ps, x, training)));
        h = pool(Activation.relu(c2.apply(ps, h, training)));
        h = pool(Activation.relu(c3.apply(ps, h, training)));
        h = Activation.relu(c4.apply(ps, h, training));
        long b = h.getShape().get(0);
        NDArray gap = h.reshape(b, h.getShape().get(1), -1).mean(new int[] {2});
        return Activation.relu(fc.apply(ps, gap, training));
    }

    /** Concatenated logits of all heads (B, totalClasses). */
    public NDArray logits(ParameterStore ps, NDArray features, boolean training) {
        return heads.apply(ps, features, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(ps, features(ps, inputs.singletonOrThrow(), training), training));
    }
}
