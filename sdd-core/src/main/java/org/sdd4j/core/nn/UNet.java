package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The teacher's noise-prediction network: a text-conditional U-Net (Ronneberger et al. 2015; DDPM's
 * variant) with one residual block per level, GroupNorm and SiLU, strided-conv downsampling and
 * convolution plus nearest-neighbour upsampling (no transposed convolution), and the time and text
 * embeddings summed into one conditioning vector that scales and shifts every block.
 *
 * <p>Inputs: x_t (B, C, H, W), t (B) as float, and bag-of-words text rows (B, V). Output: epsilon.
 */
public final class UNet extends Module {

    private final UNetConfig config;
    private final TextEncoder text;
    private final Dense time1;
    private final Dense time2;
    private final Conv convIn;
    private final List<ResBlock> down = new ArrayList<>();
    private final List<Conv> downsample = new ArrayList<>();
    private final ResBlock mid;
    private final List<ResBlock> up = new ArrayList<>();
    private final List<Conv> upConv = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv convOut;

    /** Builds the network for a configuration. */
    public UNet(UNetConfig config) {
        this.config = config;
        int e = config.embDim();
        int g = config.groups();
        List<Integer> mult = config.multipliers();
        text = addChildBlock("text", new TextEncoder(config.vocabulary(), e));
        time1 = addChildBlock("time1", new Dense(e, e));
        time2 = addChildBlock("time2", new Dense(e, e));
        int w = config.width();
        convIn = addChildBlock("conv_in", new Conv(config.channels(), w * mult.get(0), 3, 1));
        int ch = w * mult.get(0);
        List<Integer> skipChannels = new ArrayList<>();
        for (int i = 0; i < mult.size(); i++) {
            int outCh = w * mult.get(i);
            down.add(addChildBlock("down" + i, new ResBlock(ch, outCh, e, g)));
            ch = outCh;
            skipChannels.add(ch);
            if (i < mult.size() - 1) {
                downsample.add(addChildBlock("downsample" + i, new Conv(ch, ch, 3, 2)));
            }
        }
        mid = addChildBlock("mid", new ResBlock(ch, ch, e, g));
        for (int i = mult.size() - 1; i >= 0; i--) {
            int outCh = w * mult.get(i);
            up.add(addChildBlock("up" + i, new ResBlock(ch + skipChannels.get(i), outCh, e, g)));
            ch = outCh;
            if (i > 0) {
                upConv.add(addChildBlock("upsample" + i, new Conv(ch, ch, 3, 1)));
            }
        }
        normOut = addChildBlock("norm_out", new GroupNorm(g, ch));
        convOut = addChildBlock("conv_out", new Conv(ch, config.channels(), 3, 1, Init.fanInUniform(0.1)));
    }

    /** The configuration. */
    public UNetConfig config() {
        return config;
    }

    /** The text encoder (for building bag-of-words inputs). */
    public TextEncoder textEncoder() {
        return text;
    }

    /** Predicts epsilon from x_t, t (B) and text rows (B, V). */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray t, NDArray bow, boolean training) {
        NDArray emb = time2.apply(ps, Ops.silu(time1.apply(ps, Ops.timestepEmbedding(t, config.embDim()), training)),
                training);
        emb = emb.add(text.apply(ps, bow, training));
        NDArray h = convIn.apply(ps, x, training);
        List<NDArray> skips = new ArrayList<>();
        for (int i = 0; i < down.size(); i++) {
            h = down.get(i).apply(ps, h, emb, training);
            skips.add(h);
            if (i < downsample.size()) {
                h = downsample.get(i).apply(ps, h, training);
            }
        }
        h = mid.apply(ps, h, emb, training);
        for (int k = 0; k < up.size(); k++) {
            int level = down.size() - 1 - k;
            h = up.get(k).apply(ps, h.concat(skips.get(level), 1), emb, training);
            if (k < upConv.size()) {
                // convolve, then upsample: the same receptive field at a quarter of the cost
                h = Ops.upsample2x(upConv.get(k).apply(ps, h, training));
            }
        }
        return convOut.apply(ps, Ops.silu(normOut.apply(ps, h, training)), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }
}
