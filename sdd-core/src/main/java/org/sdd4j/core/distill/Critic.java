package org.sdd4j.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Init;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

/**
 * A small patch critic: three 3x3 convolutions with leaky ReLU, each followed by 2x2 average pooling, and a
 * 3x3 convolution to one logit per patch (an 8x8-pixel cell; its receptive field covers about 22 pixels).
 * Trained during distillation to tell the data's images that show the target from the manipulator's edits,
 * its logits give the manipulator a realism gradient from the data itself (see {@link SddDistiller}).
 */
final class Critic extends Module {

    private final Conv c1;
    private final Conv c2;
    private final Conv c3;
    private final Conv out;

    /** A critic of base width w. */
    Critic(int width) {
        c1 = addChildBlock("c1", new Conv(3, width, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        c2 = addChildBlock("c2", new Conv(width, 2 * width, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        c3 = addChildBlock("c3", new Conv(2 * width, 4 * width, 3, 1, Init.fanInUniform(Math.sqrt(2))));
        out = addChildBlock("out", new Conv(4 * width, 1, 3, 1));
    }

    /** Patch logits (B, 1, H / 8, W / 8): positive where the critic takes the image for the data's. */
    NDArray logits(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Ops.avgPool2x(Activation.leakyRelu(c1.apply(ps, x, training), 0.2f));
        h = Ops.avgPool2x(Activation.leakyRelu(c2.apply(ps, h, training), 0.2f));
        h = Ops.avgPool2x(Activation.leakyRelu(c3.apply(ps, h, training), 0.2f));
        return out.apply(ps, h, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.singletonOrThrow(), training));
    }
}
