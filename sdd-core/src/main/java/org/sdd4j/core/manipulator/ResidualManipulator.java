package org.sdd4j.core.manipulator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.sdd4j.core.nn.Conv;
import org.sdd4j.core.nn.Dense;
import org.sdd4j.core.nn.Init;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;
import org.sdd4j.core.nn.ResBlock;

/**
 * The default image-space manipulator: y' = y + D(y), with D a two-level residual U-Net whose last
 * convolution starts at zero, so that training starts from the identity and any in-domain image can
 * be edited without inversion.
 */
public final class ResidualManipulator extends ManipulatorModule {

    /** The architecture name. */
    public static final String NAME = "residual-unet";

    /**
     * The same network with a fourth output channel: a soft mask m = sigmoid(l + 2) of where the edit may
     * change the image, y' = y + m * r. With an area cost on m ({@code maskWeight}) the change outside the
     * edit's region goes to zero while inside it the residual keeps its full strength.
     */
    public static final String MASKED = "masked-unet";

    /**
     * The same network restricted to recolouring a region: it predicts a soft mask m (as {@link #MASKED})
     * and, from the pooled features of the whole image, one affine colour map per image (a 3x3 matrix A and
     * an offset b, starting at the identity); y' = y + m * ((A - I) y + b). Every pixel under the mask gets
     * the same colour map, so a colour edit (hair, a background) changes a whole region consistently and
     * cannot paint shapes or textures: the constraint that makes an edit a recolouring.
     */
    public static final String RECOLOR = "recolor-unet";

    /** Outputs of the colour map: the 3x3 matrix A - I and the offset b. */
    private static final int COLOUR_MAP = 12;

    private final int width;
    private final boolean masked;
    private final boolean recolor;
    private final Conv convIn;
    private final ResBlock block1;
    private final Conv down;
    private final ResBlock block2;
    private final Conv upConv;
    private final ResBlock block3;
    private final Conv convOut;
    private final Dense colour;

    /** A manipulator with base width w (channels w at full and 2w at half resolution). */
    public ResidualManipulator(int width) {
        this(width, false);
    }

    /** A manipulator with base width w, with or without the mask channel ({@link #MASKED}). */
    public ResidualManipulator(int width, boolean masked) {
        this(width, masked, false);
    }

    private ResidualManipulator(int width, boolean masked, boolean recolor) {
        if (width < 4 || width % 4 != 0) {
            throw new IllegalArgumentException("manipulator width must be a positive multiple of 4, got " + width);
        }
        this.width = width;
        this.masked = masked || recolor;
        this.recolor = recolor;
        int g = Math.min(8, width / 2);
        convIn = addChildBlock("conv_in", new Conv(3, width, 3, 1));
        block1 = addChildBlock("block1", new ResBlock(width, width, 0, g));
        down = addChildBlock("down", new Conv(width, 2 * width, 3, 2));
        block2 = addChildBlock("block2", new ResBlock(2 * width, 2 * width, 0, g));
        upConv = addChildBlock("up", new Conv(2 * width, width, 3, 1));
        block3 = addChildBlock("block3", new ResBlock(2 * width, width, 0, g));
        convOut = addChildBlock("conv_out", new Conv(width, recolor ? 1 : this.masked ? 4 : 3, 3, 1, Init.zeros()));
        colour = recolor ? addChildBlock("colour", new Dense(2 * width, COLOUR_MAP, Init.zeros())) : null;
    }

    @Override
    public String architecture() {
        return recolor ? RECOLOR : masked ? MASKED : NAME;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public Module block() {
        return this;
    }

    @Override
    public boolean predictsMask() {
        return masked;
    }


    @Override
    public Output applyWithMask(ParameterStore ps, NDArray y, boolean training) {
        long h = y.getShape().get(2);
        if (y.getShape().dimension() != 4 || y.getShape().get(1) != 3 || h % 2 != 0 || y.getShape().get(3) % 2 != 0) {
            throw new IllegalArgumentException("the manipulator expects (B, 3, H, W) with even H and W, got "
                    + y.getShape());
        }
        NDArray h1 = block1.apply(ps, convIn.apply(ps, y, training), null, training);
        NDArray h2 = block2.apply(ps, down.apply(ps, h1, training), null, training);
        NDArray up = upConv.apply(ps, Ops.upsample2x(h2), training);
        NDArray h3 = block3.apply(ps, up.concat(h1, 1), null, training);
        NDArray out = convOut.apply(ps, Ops.silu(h3), training);
        float gain = maskGain(training);
        float floor = maskFloor(training);
        if (recolor) {
            return Output.of(y, recolouring(y, colour.apply(ps, pooled(h2), training)), out, gain, floor);
        }
        return masked ? Output.of(y, out.get(":, 0:3"), out.get(":, 3:4"), gain, floor) : Output.of(y, out, null);
    }

    /** The mean over the pixels of (B, C, H, W) features: (B, C). */
    private static NDArray pooled(NDArray h) {
        return h.reshape(h.getShape().get(0), h.getShape().get(1), -1).mean(new int[] {2});
    }

    /** (A - I) y + b for each image, the map's 12 numbers per image given as (B, 12): A - I row-major, then b. */
    static NDArray recolouring(NDArray y, NDArray map) {
        long b = y.getShape().get(0);
        long h = y.getShape().get(2);
        long w = y.getShape().get(3);
        NDArray matrix = map.get(":, 0:9").reshape(b, 3, 3);
        NDArray offset = map.get(":, 9:12").reshape(b, 3, 1, 1);
        return matrix.matMul(y.reshape(b, 3, h * w)).reshape(b, 3, h, w).add(offset);
    }

    /** Convolution FLOPs: the convolutions dominate; norms and activations are left out. */
    @Override
    public long flops(int h, int w) {
        long full = (long) h * w;
        long half = full / 4;
        long c = width;
        return conv(3, c, 3, full) + 2 * conv(c, c, 3, full) // conv_in, block1
                + conv(c, 2 * c, 3, half) + 2 * conv(2 * c, 2 * c, 3, half) // down, block2
                + conv(2 * c, c, 3, full) // up
                + conv(2 * c, c, 3, full) + conv(c, c, 3, full) + conv(2 * c, c, 1, full) // block3 with skip
                + conv(c, recolor ? 1 : masked ? 4 : 3, 3, full) // conv_out
                + (recolor ? 2 * 2 * c * COLOUR_MAP + 2 * 9 * full : 0); // colour map and its application
    }

    private static long conv(long in, long out, int k, long pixels) {
        return 2 * in * out * k * k * pixels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** Builds a manipulator by architecture name. */
    public static Manipulator create(String architecture, int width) {
        if (NAME.equals(architecture)) {
            return new ResidualManipulator(width);
        }
        if (MASKED.equals(architecture)) {
            return new ResidualManipulator(width, true);
        }
        if (RECOLOR.equals(architecture)) {
            return new ResidualManipulator(width, false, true);
        }
        if (LatentManipulator.NAME.equals(architecture)) {
            return new LatentManipulator(width);
        }
        if (LatentManipulator.MASKED.equals(architecture)) {
            return new LatentManipulator(width, true);
        }
        throw new IllegalArgumentException("unknown manipulator architecture '" + architecture + "'; known: [" + NAME
                + ", " + MASKED + ", " + RECOLOR + ", " + LatentManipulator.NAME + ", " + LatentManipulator.MASKED + "]");
    }
}
