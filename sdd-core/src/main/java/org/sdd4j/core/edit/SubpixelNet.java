package org.sdd4j.core.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Ops;

/**
 * The guided upsampler's network since the second release: it folds each {@code block} x {@code block} square of its
 * six input channels into channels (space to depth), works on that coarse grid with {@code depth} 3x3 convolutions
 * of {@code width} channels (residual in pairs) and unfolds a correction of the upsampled edit back (depth to space).
 * The coarse grid gives it many channels per output pixel and a wide view (about 4 x (2 depth + 1) pixels) at the
 * cost of a full-resolution network with few channels. The channel order of the folds is TensorFlow's
 * (space_to_depth: channel = (row in block x block + column in block) x channels + channel), so the export is the
 * same two operations.
 */
final class SubpixelNet extends UpsamplerNet {

    private final int block;
    private final Conv in;
    private final Conv[] body;
    private final Conv out;

    SubpixelNet(int block, int width, int depth) {
        this.block = block;
        in = addChildBlock("in", new Conv(6 * block * block, width, 1, 1));
        body = new Conv[depth];
        for (int i = 0; i < depth; i++) {
            body[i] = addChildBlock("body" + i, new Conv(width, width, 3, 1));
        }
        out = addChildBlock("out", new Conv(width, 3 * block * block, 1, 1, Initializer.ZEROS));
    }

    @Override
    int multiple() {
        return block;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2) / block;
        long w = s.get(3) / block;
        NDArray folded = x.reshape(b, c, h, block, w, block).transpose(0, 3, 5, 1, 2, 4)
                .reshape(b, block * block * c, h, w);
        NDArray z = Ops.silu(in.apply(ps, folded, training));
        for (int i = 0; i < body.length; i++) {
            NDArray r = Ops.silu(body[i].apply(ps, z, training));
            z = i % 2 == 1 ? r.add(z) : r;
        }
        NDArray correction = out.apply(ps, z, training).reshape(b, block, block, 3, h, w).transpose(0, 3, 4, 1, 5, 2)
                .reshape(b, 3, h * block, w * block);
        return x.get(":, 0:3").add(correction);
    }
}
