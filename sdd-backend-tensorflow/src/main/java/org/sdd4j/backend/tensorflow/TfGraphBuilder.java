package org.sdd4j.backend.tensorflow;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sdd4j.core.manipulator.LatentManipulator;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.nn.UNetConfig;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Rebuilds the library's networks as TensorFlow graphs (NHWC) from trained weights, layer by layer,
 * with the same arithmetic as the DJL modules in sdd-core: convolutions with symmetric zero padding
 * k/2 (explicit, since TensorFlow's SAME padding is asymmetric for stride 2), GroupNorm over
 * contiguous channel groups with epsilon 1e-5, SiLU, nearest 2x upsampling, FiLM from the timestep
 * and text embedding. Weights become graph constants.
 */
final class TfGraphBuilder {

    private static final float GROUP_NORM_EPS = 1e-5f;

    private final Ops tf;
    private final Map<String, NDArray> params = new HashMap<>();

    /** A builder over a block's parameters (names as DJL forms them: child_child_param). */
    TfGraphBuilder(Ops tf, Block block) {
        this.tf = tf;
        for (Pair<String, Parameter> p : block.getParameters()) {
            // DJL numbers child blocks ("05down0_01norm1_beta"); the names here leave the numbers out
            params.put(p.getKey().replaceAll("(^|_)\\d{2}(?=[a-z])", "$1"), p.getValue().getArray());
        }
    }

    private NDArray param(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the network has no parameter '" + name + "'; it has "
                    + new TreeSet<>(params.keySet()));
        }
        return a;
    }

    private Operand<TFloat32> constant(float[] v, long... shape) {
        return tf.constant(Shape.of(shape), DataBuffers.of(v, true, false));
    }

    /** k x k convolution, stride s, padding k/2, OIHW weights turned into HWIO. */
    Operand<TFloat32> conv(String name, Operand<TFloat32> x, int stride) {
        NDArray w = param(name + "_weight");
        long[] s = w.getShape().getShape();
        int o = (int) s[0];
        int in = (int) s[1];
        int k = (int) s[2];
        float[] oihw = w.toFloatArray();
        float[] hwio = new float[oihw.length];
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < in; ic++) {
                for (int y = 0; y < k; y++) {
                    for (int xx = 0; xx < k; xx++) {
                        hwio[((y * k + xx) * in + ic) * o + oc] = oihw[((oc * in + ic) * k + y) * k + xx];
                    }
                }
            }
        }
        Operand<TFloat32> h = x;
        int p = k / 2;
        if (p > 0) {
            h = tf.pad(h, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
        }
        h = tf.nn.conv2d(h, constant(hwio, k, k, in, o), List.of(1L, (long) stride, (long) stride, 1L), "VALID");
        return tf.math.add(h, constant(param(name + "_bias").toFloatArray(), o));
    }

    /** y = x W^T + b, rows [from, to) of the output only (to split FiLM scale and shift). */
    Operand<TFloat32> dense(String name, Operand<TFloat32> x, int from, int to) {
        NDArray w = param(name + "_weight");
        int out = (int) w.getShape().get(0);
        int in = (int) w.getShape().get(1);
        float[] all = w.toFloatArray();
        float[] rows = new float[(to - from) * in];
        System.arraycopy(all, from * in, rows, 0, rows.length);
        float[] b = new float[to - from];
        System.arraycopy(param(name + "_bias").toFloatArray(), from, b, 0, b.length);
        if (from < 0 || to > out) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") outside " + out);
        }
        Operand<TFloat32> y = tf.linalg.matMul(x, constant(rows, to - from, in), MatMul.transposeB(true));
        return tf.math.add(y, constant(b, to - from));
    }

    /** The whole dense layer. */
    Operand<TFloat32> dense(String name, Operand<TFloat32> x) {
        return dense(name, x, 0, (int) param(name + "_weight").getShape().get(0));
    }

    Operand<TFloat32> silu(Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    /** GroupNorm of (B, h, w, c) over contiguous channel groups. */
    Operand<TFloat32> groupNorm(String name, Operand<TFloat32> x, int groups, int h, int w, int c) {
        Operand<TFloat32> g = tf.reshape(x, tf.constant(new long[] {-1, h, w, groups, c / groups}));
        Operand<TFloat32> mean = tf.math.mean(g, tf.constant(new int[] {1, 2, 4}), Mean.keepDims(true));
        Operand<TFloat32> centred = tf.math.sub(g, mean);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(centred), tf.constant(new int[] {1, 2, 4}),
                Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.div(centred, tf.math.sqrt(tf.math.add(var, tf.constant(GROUP_NORM_EPS))));
        Operand<TFloat32> back = tf.reshape(normed, tf.constant(new long[] {-1, h, w, c}));
        return tf.math.add(tf.math.mul(back, constant(param(name + "_gamma").toFloatArray(), c)),
                constant(param(name + "_beta").toFloatArray(), c));
    }

    Operand<TFloat32> upsample2x(Operand<TFloat32> x, int h, int w) {
        return tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {2 * h, 2 * w}));
    }

    /**
     * The residual block of sdd-core: x + conv2(silu(FiLM(norm2(conv1(silu(norm1(x))))))), with a 1x1
     * skip convolution when the channel count changes and FiLM only when emb is given.
     */
    Operand<TFloat32> resBlock(String name, Operand<TFloat32> x, Operand<TFloat32> emb, int in, int out, int groups,
            int h, int w) {
        Operand<TFloat32> y = conv(name + "_conv1", silu(groupNorm(name + "_norm1", x, groups, h, w, in)), 1);
        y = groupNorm(name + "_norm2", y, groups, h, w, out);
        if (emb != null) {
            Operand<TFloat32> e = silu(emb);
            Operand<TFloat32> scale = tf.reshape(dense(name + "_emb", e, 0, out), tf.constant(new long[] {-1, 1, 1, out}));
            Operand<TFloat32> shift = tf.reshape(dense(name + "_emb", e, out, 2 * out),
                    tf.constant(new long[] {-1, 1, 1, out}));
            y = tf.math.add(tf.math.mul(y, tf.math.add(scale, tf.constant(1f))), shift);
        }
        y = conv(name + "_conv2", silu(y), 1);
        Operand<TFloat32> base = in != out ? conv(name + "_skip", x, 1) : x;
        return tf.math.add(base, y);
    }

    /** The residual manipulator: y + D(y) on (B, res, res, 3) in [-1, 1]. */
    Operand<TFloat32> residualManipulator(Operand<TFloat32> y, int width, int res, boolean masked, float maskGain,
            float maskFloor) {
        int g = Math.min(8, width / 2);
        int half = res / 2;
        Operand<TFloat32> h1 = resBlock("block1", conv("conv_in", y, 1), null, width, width, g, res, res);
        Operand<TFloat32> h2 = resBlock("block2", conv("down", h1, 2), null, 2 * width, 2 * width, g, half, half);
        Operand<TFloat32> up = conv("up", upsample2x(h2, half, half), 1);
        Operand<TFloat32> h3 = resBlock("block3", tf.concat(List.of(up, h1), tf.constant(3)), null, 2 * width, width,
                g, res, res);
        Operand<TFloat32> out = conv("conv_out", silu(h3), 1);
        if (!masked) {
            return tf.math.add(y, out);
        }
        // masked-unet: channels 0-2 are the residual, channel 3 the mask logit (NHWC here)
        Operand<TFloat32> residual = tf.slice(out, tf.constant(new long[] {0, 0, 0, 0}),
                tf.constant(new long[] {-1, -1, -1, 3}));
        Operand<TFloat32> logit = tf.slice(out, tf.constant(new long[] {0, 0, 0, 3}),
                tf.constant(new long[] {-1, -1, -1, 1}));
        return tf.math.add(y, tf.math.mul(residual, mask(logit, maskGain, maskFloor)));
    }

    /**
     * The latent manipulator of sdd-core: y + [m *] (D(E(y) + g(E(y))) - D(E(y))) on (B, res, res, 3) in [-1, 1],
     * with the frozen autoencoder prior E, D (child "prior") and, when masked, the mask predicted from y and the
     * decoded change.
     */
    Operand<TFloat32> latentManipulator(Operand<TFloat32> y, int width, int res, boolean masked, float maskGain,
            float maskFloor) {
        int g = Math.min(8, width / 2);
        int q = res / 4;
        Operand<TFloat32> z = encode(y);
        Operand<TFloat32> l = resBlock("block1", conv("conv_in", z, 1), null, 2 * width, 2 * width, g, q, q);
        l = resBlock("block2", l, null, 2 * width, 2 * width, g, q, q);
        Operand<TFloat32> dz = conv("conv_out", silu(l), 1);
        Operand<TFloat32> change = tf.math.sub(decode(tf.math.add(z, dz), q), decode(z, q));
        Operand<TFloat32> edited;
        if (!masked) {
            edited = tf.math.add(y, change);
        } else {
            Operand<TFloat32> logit = conv("mask_out", silu(conv("mask_in", tf.concat(List.of(y, change), tf.constant(3)),
                    1)), 1);
            edited = tf.math.add(y, tf.math.mul(change, mask(logit, maskGain, maskFloor)));
        }
        // the projection onto the prior where the edit changed the image (LatentManipulator.project)
        Operand<TFloat32> w = tf.clipByValue(tf.math.div(tf.max(tf.math.abs(tf.math.sub(edited, y)), tf.constant(3),
                org.tensorflow.op.core.Max.keepDims(true)), tf.constant(LatentManipulator.PROJECTION_TAU)),
                tf.constant(0f), tf.constant(1f));
        Operand<TFloat32> p = decode(encode(edited), q);
        return tf.math.add(edited, tf.math.mul(tf.math.sub(p, edited), w));
    }

    /**
     * The mask of a logit, closed below the floor and opened by the gain as in Manipulator.Output.of:
     * min(1, gain max(0, sigmoid(logit + bias) - floor) / (1 - floor)).
     */
    private Operand<TFloat32> mask(Operand<TFloat32> logit, float gain, float floor) {
        Operand<TFloat32> mask = tf.math.sigmoid(tf.math.add(logit, tf.constant(Manipulator.MASK_BIAS)));
        if (floor != 0f) {
            mask = tf.math.mul(tf.math.maximum(tf.math.sub(mask, tf.constant(floor)), tf.constant(0f)),
                    tf.constant(1f / (1f - floor)));
        }
        return gain == 1f ? mask : tf.math.minimum(tf.math.mul(mask, tf.constant(gain)), tf.constant(1f));
    }

    /** The prior's encoder, images (B, 4q, 4q, 3) to latents (B, q, q, 8). */
    private Operand<TFloat32> encode(Operand<TFloat32> y) {
        Operand<TFloat32> h = silu(conv("prior_e1", y, 1));
        h = silu(conv("prior_e2", h, 2));
        h = silu(conv("prior_e3", h, 2));
        return conv("prior_e4", h, 1);
    }

    /**
     * The guided upsampler's network: (B, H, W, 6) in [-1, 1], H and W multiples of the network's
     * {@link org.sdd4j.core.edit.GuidedUpsampler.Network#multiple()}, to the refined edit (B, H, W, 3); sizes are
     * read at run time.
     */
    Operand<TFloat32> upsamplerNet(Operand<TFloat32> x, org.sdd4j.core.edit.GuidedUpsampler.Network network) {
        return "u-shape".equals(network.kind()) ? detailNet(x) : subpixelNet(x, network.block(), network.depth());
    }

    /** sdd-core's SubpixelNet: the folds are TensorFlow's space_to_depth and depth_to_space. */
    private Operand<TFloat32> subpixelNet(Operand<TFloat32> x, int block, int depth) {
        Operand<TFloat32> z = silu(conv("in", tf.nn.spaceToDepth(x, (long) block), 1));
        for (int i = 0; i < depth; i++) {
            Operand<TFloat32> r = silu(conv("body" + i, z, 1));
            z = i % 2 == 1 ? tf.math.add(r, z) : r;
        }
        return tf.math.add(first3(x), tf.nn.depthToSpace(conv("out", z, 1), (long) block));
    }

    private Operand<TFloat32> first3(Operand<TFloat32> x) {
        return tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 3}));
    }

    /** sdd-core's DetailNet, the first release's U-shape. */
    private Operand<TFloat32> detailNet(Operand<TFloat32> x) {
        Operand<TFloat32> h1 = silu(conv("in", x, 1));
        Operand<TFloat32> h2 = silu(conv("down1", h1, 2));
        Operand<TFloat32> h4 = silu(conv("down2", h2, 2));
        h4 = silu(conv("mid", h4, 1));
        Operand<TFloat32> u2 = tf.math.add(silu(conv("up2", upsample2x(h4), 1)), h2);
        Operand<TFloat32> u1 = tf.math.add(silu(conv("up1", upsample2x(u2), 1)), h1);
        return tf.math.add(first3(x), conv("out", u1, 1));
    }

    /** Nearest 2x upsampling of (B, h, w, c) with h and w read at run time. */
    private Operand<TFloat32> upsample2x(Operand<TFloat32> x) {
        Operand<org.tensorflow.types.TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}),
                tf.constant(new int[] {2}));
        return tf.image.resizeNearestNeighbor(x, tf.math.mul(hw, tf.constant(2)));
    }

    /** The prior's decoder, latents (B, q, q, 8) to images (B, 4q, 4q, 3). */
    private Operand<TFloat32> decode(Operand<TFloat32> z, int q) {
        Operand<TFloat32> h = silu(conv("prior_d1", z, 1));
        h = silu(conv("prior_d2", upsample2x(h, q, q), 1));
        h = silu(conv("prior_d3", upsample2x(h, 2 * q, 2 * q), 1));
        return conv("prior_d4", h, 1);
    }

    /** The teacher U-Net: epsilon for x_t (B, res, res, C), t (B) and bag-of-words rows (B, V). */
    Operand<TFloat32> unet(UNetConfig c, Operand<TFloat32> x, Operand<TFloat32> t, Operand<TFloat32> bow) {
        int e = c.embDim();
        int half = e / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        Operand<TFloat32> args = tf.math.mul(tf.reshape(t, tf.constant(new long[] {-1, 1})), constant(freqs, 1, half));
        Operand<TFloat32> temb = tf.concat(List.of(tf.math.sin(args), tf.math.cos(args)), tf.constant(1));
        Operand<TFloat32> emb = dense("time2", silu(dense("time1", temb)));
        NDArray table = param("text_table");
        Operand<TFloat32> pooled = tf.linalg.matMul(bow, constant(table.toFloatArray(), table.getShape().get(0),
                table.getShape().get(1)));
        emb = tf.math.add(emb, dense("text_fc2", silu(dense("text_fc1", pooled))));

        List<Integer> mult = c.multipliers();
        int g = c.groups();
        int w = c.width();
        int size = c.resolution();
        int ch = w * mult.get(0);
        Operand<TFloat32> h = conv("conv_in", x, 1);
        Operand<?>[] skips = new Operand<?>[mult.size()];
        int[] skipCh = new int[mult.size()];
        for (int i = 0; i < mult.size(); i++) {
            int outCh = w * mult.get(i);
            h = resBlock("down" + i, h, emb, ch, outCh, g, size, size);
            ch = outCh;
            skips[i] = h;
            skipCh[i] = ch;
            if (i < mult.size() - 1) {
                h = conv("downsample" + i, h, 2);
                size /= 2;
            }
        }
        h = resBlock("mid", h, emb, ch, ch, g, size, size);
        for (int i = mult.size() - 1; i >= 0; i--) {
            int outCh = w * mult.get(i);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> skip = (Operand<TFloat32>) skips[i];
            h = resBlock("up" + i, tf.concat(List.of(h, skip), tf.constant(3)), emb, ch + skipCh[i], outCh, g, size,
                    size);
            ch = outCh;
            if (i > 0) {
                h = upsample2x(conv("upsample" + i, h, 1), size, size);
                size *= 2;
            }
        }
        return conv("conv_out", silu(groupNorm("norm_out", h, g, size, size, ch)), 1);
    }
}
