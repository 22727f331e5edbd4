package org.sdd4j.core.edit;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.train.TrainingLoop;

/**
 * A learned guided upsampler: carries an edit made at the model's resolution to the image's size with sharp
 * detail. Given the edit upsampled bilinearly and the full-resolution original with the edited region hidden
 * (replaced by the upsampled edit, so nothing the edit removed can come back), its {@link DetailNet} returns
 * the edit at full resolution: it draws sharp edges where bilinear upsampling gives a blur, continuing the
 * original's detail around the region.
 *
 * <p>It learns without any edit: from a data source's images T at a larger size, the model-resolution image
 * L = T resized down (plus a little noise, as a manipulator's output has), and the "original" O = T with a
 * random feathered rectangle hidden the same way; it learns T from (bilinear L, O).
 * {@link FullResolution.Mode#LEARNED} uses it where the manipulator edited. Its network is a {@link Network}:
 * new upsamplers have the sub-pixel network, those of the first release (no network recorded) the U-shape.
 */
public final class GuidedUpsampler implements AutoCloseable {

    /** The folder format. */
    public static final String FORMAT = "sdd-upsampler";
    /** What an upsampler folder holds, in messages. */
    public static final String KIND = "guided upsampler";
    /** Pixels of context around each tile (the networks see at most about 34 pixels around a pixel). */
    static final int HALO = 48;
    /** Tile edge when refining large regions, so memory stays bounded whatever the image size. */
    static final int TILE = 256;
    /** The manifest field (an upsampler folder's) naming its network. */
    public static final String NETWORK = "network";

    /**
     * Which network an upsampler has: {@code u-shape}, the first release's (85,131 parameters; also every folder or
     * bundle that records none), or {@code subpixel} with the side of the squares it folds into channels, its width
     * and its number of 3x3 layers (see {@link SubpixelNet}); and how what it draws is finished: the colour spread of
     * an edge-preserving smoothing of the region it draws (0, the default, for none; see
     * {@link EdgePreservingSmoothing}). It travels with the weights wherever they are copied (a bundle, an export).
     *
     * @param kind {@code u-shape} or {@code subpixel}
     * @param block the fold's side (subpixel)
     * @param width channels (subpixel)
     * @param depth 3x3 layers (subpixel)
     * @param smoothing colour spread, in [-1, 1] units and in [0, 0.5], of the smoothing of what it draws; 0: none.
     *     For images made of flat colour areas: on FaceWorld's smile 0.08 (about 10 levels of 255) removed the grain
     *     around the mouth at 128 and 256 px for the same PSNR in the mouth (docs/RESULTS.md)
     */
    public record Network(String kind, int block, int width, int depth, double smoothing) {
        /** The first release's U-shape. */
        public static final Network FIRST = new Network("u-shape", 4, 24, 0);
        /** What new upsamplers train. */
        public static final Network DEFAULT = new Network("subpixel", 4, 64, 8);
        /** The largest smoothing spread. */
        public static final double MAX_SMOOTHING = 0.5;

        /** A network whose output is not smoothed. */
        public Network(String kind, int block, int width, int depth) {
            this(kind, block, width, depth, 0);
        }

        /** Validates. */
        public Network {
            if (!(smoothing >= 0 && smoothing <= MAX_SMOOTHING)) {
                throw new IllegalArgumentException("upsampler smoothing must be in [0, " + MAX_SMOOTHING + "] ([-1, 1]"
                        + " colour units; 0 for none), got " + smoothing);
            }
            if ("u-shape".equals(kind)) {
                block = 4;
                width = 24;
                depth = 0;
            } else if (!"subpixel".equals(kind)) {
                throw new IllegalArgumentException("unknown upsampler network '" + kind + "' (u-shape or subpixel)");
            } else if (block < 1 || block > 16 || width < 1 || width > 1024 || depth < 0 || depth > 64) {
                throw new IllegalArgumentException("subpixel upsampler network: block in [1, 16], width in [1, 1024],"
                        + " depth in [0, 64], got " + block + ", " + width + ", " + depth);
            }
        }

        /** The network a manifest or bundle entry records in {@code field}; {@link #FIRST} when it records none. */
        public static Network of(JsonNode node, String field) {
            JsonNode n = node.path(field);
            if (n.isMissingNode() || n.isNull()) {
                return FIRST;
            }
            return new Network(n.path("kind").asText(""), n.path("block").asInt(), n.path("width").asInt(),
                    n.path("depth").asInt(), n.path("smoothing").asDouble(0));
        }

        /** This network with its output smoothed by {@code spread} (0: not at all). */
        public Network withSmoothing(double spread) {
            return new Network(kind, block, width, depth, spread);
        }

        /** Records this network in {@code node}'s {@code field}. */
        public void put(ObjectNode node, String field) {
            node.set(field, Json.tree(this));
        }

        /** What an input's height and width must be a multiple of. */
        public int multiple() {
            return block;
        }

        UpsamplerNet create() {
            return "u-shape".equals(kind) ? new DetailNet() : new SubpixelNet(block, width, depth);
        }
    }

    /** The network, on whichever engine runs it: (1, 6, H, W) in [-1, 1] to (1, 3, H, W). */
    @FunctionalInterface
    public interface Net {
        /** The refined edit for the upsampled edit and the original, stacked as six channels. */
        NDArray apply(ParameterStore ps, NDArray x);
    }

    private final NDManager manager;
    private final Net net;
    private final ai.djl.nn.Block block;
    private final int resolution;
    private volatile Network network;

    private GuidedUpsampler(NDManager manager, Net net, ai.djl.nn.Block block, int resolution, Network network) {
        this.manager = manager;
        this.net = net;
        this.block = block;
        this.resolution = resolution;
        this.network = network;
    }

    /**
     * An upsampler around a network run elsewhere (an exported SavedModel); it owns {@code manager}.
     *
     * @param manager the memory scope calls run in (closed with the upsampler)
     * @param net the network
     * @param resolution the model resolution it carries edits from
     * @param network which network {@code net} runs (for the input sizes it takes)
     */
    public static GuidedUpsampler of(NDManager manager, Net net, int resolution, Network network) {
        return new GuidedUpsampler(manager, net, null, resolution, network);
    }

    /** The network as it runs. */
    Net net() {
        return net;
    }

    /** Which network it has (and how its output is smoothed). */
    public Network network() {
        return network;
    }

    /**
     * Smooths what it draws by {@code spread} from now on, whatever its folder records (to measure a setting before
     * training an upsampler that records it; see {@link Network#smoothing()}).
     *
     * @throws IllegalArgumentException for a spread outside [0, {@link Network#MAX_SMOOTHING}]
     */
    public void smoothing(double spread) {
        network = network.withSmoothing(spread);
    }

    /** The trained block (for export); null for an upsampler around an exported network. */
    public ai.djl.nn.Block block() {
        return block;
    }

    /**
     * Loads an upsampler folder (checksums verified).
     *
     * @param folder written by {@link #train}
     * @param parent the engine manager its weights live under
     */
    public static GuidedUpsampler load(Path folder, NDManager parent) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, 1, KIND);
        return fromWeights(ModelFolder.listedFile(folder, m, m.path("weights").asText(""), KIND),
                m.path("resolution").asInt(), Network.of(m, NETWORK), parent);
    }

    /**
     * The verified manifest of an upsampler folder, checked to carry edits from {@code resolution}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static JsonNode check(Path folder, int resolution) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, 1, KIND);
        if (m.path("resolution").asInt() != resolution) {
            throw new IllegalArgumentException("the upsampler " + folder + " carries edits from "
                    + m.path("resolution").asInt() + " px; this edit is made at " + resolution + " px (train one with"
                    + " sdd train-upsampler --resolution " + resolution + ")");
        }
        return m;
    }

    /** The weights file of a checked upsampler folder. */
    public static Path weightsFile(Path folder, JsonNode manifest) {
        return ModelFolder.listedFile(folder, manifest, manifest.path("weights").asText(""), KIND);
    }

    /** An upsampler from its weights file (as stored in an editor bundle) and the network they are of. */
    public static GuidedUpsampler fromWeights(Path weights, int resolution, Network network, NDManager parent) {
        UpsamplerNet net = network.create();
        NDManager manager = parent.newSubManager();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(weights))) {
            net.initialize(manager);
            net.loadParameters(manager, new DataInputStream(raw));
            net.freezeParameters(true);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException("could not read the upsampler's weights " + weights + ": "
                    + e.getMessage(), e);
        }
        return new GuidedUpsampler(manager, (ps, x) -> net.apply(ps, x, false), net, resolution, network);
    }

    /** The model resolution the upsampler was trained to carry edits from. */
    public int resolution() {
        return resolution;
    }

    /**
     * The edit at full resolution, in [-1, 1], laid out 3 x h x w like {@code up}.
     *
     * @param original the full-resolution original (or the part of it being edited), 8-bit RGB, w x h
     * @param up the edit upsampled to w x h (see {@link FullResolution#upsampled}); refined in place
     * @param mask where the edit replaces the original (h x w, in [0, 1]): the net does not see the original there,
     *     and where its output is smoothed when its network records a smoothing
     * @param scale image pixels per model pixel (the smoothing's spatial spread is half a model pixel)
     */
    void refine(BufferedImage original, float[] up, float[] mask, double scale) {
        int w = original.getWidth();
        int h = original.getHeight();
        int bx0 = 0;
        int by0 = 0;
        int bx1 = w;
        int by1 = h;
        float[] copy = up.clone();
        float[] orig = hideRegion(ImageTensors.toChw(original), copy, mask);
        for (int ty = by0; ty < by1; ty += TILE) {
            for (int tx = bx0; tx < bx1; tx += TILE) {
                int cx1 = Math.min(bx1, tx + TILE);
                int cy1 = Math.min(by1, ty + TILE);
                int px0 = Math.max(0, tx - HALO);
                int py0 = Math.max(0, ty - HALO);
                int pw = roundUp(Math.min(w, cx1 + HALO) - px0, network.multiple());
                int ph = roundUp(Math.min(h, cy1 + HALO) - py0, network.multiple());
                float[] in = new float[6 * pw * ph];
                for (int y = 0; y < ph; y++) {
                    int sy = Math.min(h - 1, py0 + y);
                    for (int x = 0; x < pw; x++) {
                        int sx = Math.min(w - 1, px0 + x);
                        for (int c = 0; c < 3; c++) {
                            in[(c * ph + y) * pw + x] = copy[(c * h + sy) * w + sx];
                            in[((c + 3) * ph + y) * pw + x] = orig[(c * h + sy) * w + sx];
                        }
                    }
                }
                float[] res;
                try (NDManager call = manager.newSubManager()) {
                    NDArray x = call.create(in, new Shape(1, 6, ph, pw));
                    res = net.apply(new ParameterStore(call, false), x).toFloatArray();
                }
                for (int c = 0; c < 3; c++) {
                    for (int y = ty; y < cy1; y++) {
                        for (int x = tx; x < cx1; x++) {
                            up[(c * h + y) * w + x] = res[(c * ph + (y - py0)) * pw + (x - px0)];
                        }
                    }
                }
            }
        }
        EdgePreservingSmoothing.apply(up, w, h, mask, network.smoothing(), scale);
    }

    /**
     * {bilinear, learned} PSNR inside the hidden regions of examples drawn from {@code heldOut} as training draws
     * them (at most 100), the measurement {@link #train} records.
     */
    public double[] measure(TrainingData heldOut, Options o) {
        return heldOutPsnr(net, heldOut, o, manager);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Training options.
     *
     * @param steps steps
     * @param batchSize crops per step
     * @param learningRate AdamW learning rate
     * @param resolution the model resolution edits come from
     * @param sizes the image sizes it learns to carry edits to (each step draws one per crop)
     * @param crop edge of the square crops it learns on (a multiple of 4)
     * @param seed seed
     * @param network the network to train
     * @param noise largest spread of the noise added to the shrunk training images, in [-1, 1] units
     * @param blur largest spread (Gaussian sigma, in model-resolution pixels) of the blur applied to the shrunk
     *     training images before the noise, drawn per image from [0, blur]; 0 for none. A manipulator draws soft
     *     strokes (a smile a little thicker and fainter than a rendered one); trained to carry blurred shrinks back
     *     to the sharp image, the upsampler draws such a stroke as a sharp line instead of a smear.
     * @param stain largest colour change (in [-1, 1] units, per channel) of the soft stains painted into the shrunk
     *     training images inside the hidden rectangle, drawn per stain from [0, stain]; 0 for none. A manipulator
     *     leaves soft, faint stains where it removed something (a pale patch where a frown was, a red haze under a
     *     new smile); trained to carry stained shrinks back to the clean image, the upsampler is meant to leave
     *     them out at full size. Measured on the demo's smile (stain 0.4) it did not remove the pale patch, which has
     *     the edges of the frown it replaced (docs/RESULTS.md), so the embedded upsampler has none.
     * @param thicken largest blend, in [0, 1] and drawn per image from [0, thicken], of each pixel inside the hidden
     *     rectangle of the shrunk training images toward the neighbour that stands out most from its surroundings: the
     *     strokes there come out up to a pixel thicker (a manipulator draws a smile a little thicker and lower than a
     *     rendered one); trained to carry such shrinks back to the clean image, the upsampler draws them thinner.
     */
    public record Options(int steps, int batchSize, float learningRate, int resolution, List<Integer> sizes, int crop,
            long seed, Network network, double noise, double blur, double stain, double thicken) {
        /** Validates. */
        public Options {
            if (steps < 1 || batchSize < 1 || resolution < 8 || crop < 16 || crop % network.multiple() != 0
                    || crop % 4 != 0) {
                throw new IllegalArgumentException("upsampler: steps and batch >= 1, resolution >= 8, crop a multiple"
                        + " of 4 and of the network's fold " + network.multiple() + " and at least 16");
            }
            if (!(noise >= 0 && noise <= 1)) {
                throw new IllegalArgumentException("upsampler: noise must be in [0, 1], got " + noise);
            }
            if (!(blur >= 0 && blur <= 4)) {
                throw new IllegalArgumentException("upsampler: blur must be in [0, 4] pixels, got " + blur);
            }
            if (!(stain >= 0 && stain <= 2)) {
                throw new IllegalArgumentException("upsampler: stain must be in [0, 2], got " + stain);
            }
            if (!(thicken >= 0 && thicken <= 1)) {
                throw new IllegalArgumentException("upsampler: thicken must be in [0, 1], got " + thicken);
            }
            sizes = List.copyOf(sizes);
            for (int s : sizes) {
                if (s < crop || s <= resolution) {
                    throw new IllegalArgumentException("upsampler: every size must exceed the resolution " + resolution
                            + " and be at least the crop " + crop + ", got " + s);
                }
            }
        }

        /** Options with the default network and noise, without blur. */
        public Options(int steps, int batchSize, float learningRate, int resolution, List<Integer> sizes, int crop,
                long seed) {
            this(steps, batchSize, learningRate, resolution, sizes, crop, seed, Network.DEFAULT, DEFAULT_NOISE, 0, 0, 0);
        }

        /** Options without blur or stains. */
        public Options(int steps, int batchSize, float learningRate, int resolution, List<Integer> sizes, int crop,
                long seed, Network network, double noise) {
            this(steps, batchSize, learningRate, resolution, sizes, crop, seed, network, noise, 0, 0, 0);
        }

        /** These options with the shrunk training images blurred by up to {@code sigma} pixels. */
        public Options withBlur(double sigma) {
            return new Options(steps, batchSize, learningRate, resolution, sizes, crop, seed, network, noise, sigma,
                    stain, thicken);
        }

        /** These options with soft stains of up to {@code change} painted into the hidden part of the shrinks. */
        public Options withStain(double change) {
            return new Options(steps, batchSize, learningRate, resolution, sizes, crop, seed, network, noise, blur,
                    change, thicken);
        }

        /** These options with the strokes in the hidden part of the shrinks thickened by a blend of up to {@code blend}. */
        public Options withThicken(double blend) {
            return new Options(steps, batchSize, learningRate, resolution, sizes, crop, seed, network, noise, blur,
                    stain, blend);
        }

        /** These options with a network whose output is smoothed by {@code spread} ({@link Network#smoothing()}). */
        public Options withSmoothing(double spread) {
            return new Options(steps, batchSize, learningRate, resolution, sizes, crop, seed,
                    network.withSmoothing(spread), noise, blur, stain, thicken);
        }

        /** The noise new upsamplers train with (the first release's: 0.1). */
        public static final double DEFAULT_NOISE = 0.02;

        /**
         * The defaults for a model resolution: the sub-pixel network, sizes 4x and 8x, crops of 96 (at most 4x),
         * 3,000 steps of 8, noise up to 0.02.
         */
        public static Options defaults(int resolution) {
            return new Options(3000, 8, 0.002f, resolution, List.of(4 * resolution, 8 * resolution),
                    Math.min(96, 4 * resolution / 16 * 16), 5);
        }
    }

    /** One training example: the net's input (6 x crop x crop), its target (3 x crop x crop), the region. */
    record Example(float[] input, float[] target, boolean[] region) {}

    /**
     * An example from an image: its target is the image at {@code size}; its input is the image shrunk to
     * {@code res} (with a little noise, as a manipulator's output has) and upsampled bilinearly, beside the image
     * itself outside a feathered rectangle (the "edited region") and that same upsampled image inside it. The crop
     * covers the rectangle most of the time, where the learning is.
     */
    static Example example(BufferedImage image, int size, int res, int crop, double noise, double blur,
            double stain, double thicken, SplittableRandom r) {
        BufferedImage t = ImageTensors.resize(ImageTensors.toRgb(image), size, size);
        float[] target = ImageTensors.toChw(t);
        int rw = (int) (size * (0.12 + 0.3 * r.nextDouble()));
        int rh = (int) (size * (0.12 + 0.3 * r.nextDouble()));
        int rx = r.nextInt(size - rw + 1);
        int ry = r.nextInt(size - rh + 1);
        float[] low = ImageTensors.toChw(t, res);
        if (blur > 0) {
            low = gaussianBlur(low, res, blur * r.nextDouble());
        }
        if (thicken > 0) {
            low = thicken(low, res, rx * res / (double) size, ry * res / (double) size, rw * res / (double) size,
                    rh * res / (double) size, thicken * r.nextDouble());
        }
        if (stain > 0) {
            stain(low, res, rx * res / (double) size, ry * res / (double) size, rw * res / (double) size,
                    rh * res / (double) size, stain, r);
        }
        float sigma = (float) (noise * r.nextDouble());
        for (int i = 0; i < low.length; i++) {
            low[i] = Math.max(-1f, Math.min(1f, low[i] + sigma * (float) gaussian(r)));
        }
        float[] up = FullResolution.upsampled(low, 0, res, size, 0, 0, 0, 0, size, size);
        int hw = size * size;
        float[] mask = new float[hw];
        double feather = Math.max(1.0, size / (double) res);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double inside = Math.min(Math.min(x - rx + 0.5, rx + rw - x - 0.5), Math.min(y - ry + 0.5, ry + rh - y - 0.5));
                mask[y * size + x] = (float) Math.max(0, Math.min(1, 0.5 + inside / feather));
            }
        }
        float[] orig = hideRegion(target, up, mask);
        int cx;
        int cy;
        if (r.nextDouble() < 0.75) {
            cx = rx + rw / 2 - crop / 2 + r.nextInt(crop / 2 + 1) - crop / 4;
            cy = ry + rh / 2 - crop / 2 + r.nextInt(crop / 2 + 1) - crop / 4;
        } else {
            cx = r.nextInt(size - crop + 1);
            cy = r.nextInt(size - crop + 1);
        }
        return cropped(up, orig, target, mask, size, cx, cy, crop);
    }

    /**
     * The example in the crop of edge {@code crop} at (cx, cy), moved inside the image: the net's input (the upsampled
     * edit {@code up} and the hidden original {@code orig}), the target and where {@code mask} is at least one half.
     * All full-size arrays 3 x size x size, the mask size x size.
     */
    static Example cropped(float[] up, float[] orig, float[] target, float[] mask, int size, int cx, int cy, int crop) {
        cx = Math.max(0, Math.min(size - crop, cx));
        cy = Math.max(0, Math.min(size - crop, cy));
        int hw = size * size;
        int cc = crop * crop;
        float[] input = new float[6 * cc];
        float[] tgt = new float[3 * cc];
        boolean[] region = new boolean[cc];
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                int s = (cy + y) * size + cx + x;
                int d = y * crop + x;
                for (int c = 0; c < 3; c++) {
                    input[c * cc + d] = up[c * hw + s];
                    input[(c + 3) * cc + d] = orig[c * hw + s];
                    tgt[c * cc + d] = target[c * hw + s];
                }
                region[d] = mask[s] >= 0.5f;
            }
        }
        return new Example(input, tgt, region);
    }

    /**
     * The original as the net sees it: itself where the mask is 0, the upsampled edit where it is 1 (so nothing of
     * what the edit replaced can come back), mixed in between. All 3 x h x w, mask h x w.
     */
    static float[] hideRegion(float[] original, float[] up, float[] mask) {
        int hw = mask.length;
        float[] out = new float[original.length];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < hw; p++) {
                int i = c * hw + p;
                out[i] = mask[p] * up[i] + (1 - mask[p]) * original[i];
            }
        }
        return out;
    }

    /**
     * Paints one to three soft stains into a square 3 x n x n image, in place: each a Gaussian spot (spread 1 to 2.5
     * pixels) centred in the rectangle (x, y, w, h, in the image's pixels) that shifts every channel by its own
     * amount, up to {@code change} in size. Values are clamped later with the noise.
     */
    static void stain(float[] chw, int n, double x, double y, double w, double h, double change, SplittableRandom r) {
        int count = 1 + r.nextInt(3);
        for (int k = 0; k < count; k++) {
            double cx = x + r.nextDouble() * w - 0.5;
            double cy = y + r.nextDouble() * h - 0.5;
            double spread = 1 + 1.5 * r.nextDouble();
            double size = change * r.nextDouble();
            double[] shift = new double[3];
            for (int c = 0; c < 3; c++) {
                shift[c] = size * (2 * r.nextDouble() - 1);
            }
            for (int py = 0; py < n; py++) {
                for (int px = 0; px < n; px++) {
                    double g = Math.exp(-((px - cx) * (px - cx) + (py - cy) * (py - cy)) / (2 * spread * spread));
                    for (int c = 0; c < 3; c++) {
                        chw[c * n * n + py * n + px] += (float) (shift[c] * g);
                    }
                }
            }
        }
    }

    /**
     * A square 3 x n x n image with the strokes inside the rectangle (x, y, w, h, in the image's pixels) drawn thicker:
     * each pixel there is blended by {@code blend} toward the colour, among itself and its eight neighbours, that
     * stands out most (largest channel difference) from the median of the 5 x 5 pixels around it. A pixel of plain
     * skin beside a red line turns toward the red; the line itself, which stands out most already, stays.
     */
    static float[] thicken(float[] chw, int n, double x, double y, double w, double h, double blend) {
        int nn = n * n;
        float[] out = chw.clone();
        float[] window = new float[25];
        float[] median = new float[3 * nn];
        for (int c = 0; c < 3; c++) {
            for (int py = 0; py < n; py++) {
                for (int px = 0; px < n; px++) {
                    int k = 0;
                    for (int dy = -2; dy <= 2; dy++) {
                        for (int dx = -2; dx <= 2; dx++) {
                            window[k++] = chw[c * nn + Math.max(0, Math.min(n - 1, py + dy)) * n
                                    + Math.max(0, Math.min(n - 1, px + dx))];
                        }
                    }
                    Arrays.sort(window);
                    median[c * nn + py * n + px] = window[12];
                }
            }
        }
        for (int py = 0; py < n; py++) {
            for (int px = 0; px < n; px++) {
                if (px + 0.5 < x || px + 0.5 > x + w || py + 0.5 < y || py + 0.5 > y + h) {
                    continue;
                }
                int p = py * n + px;
                int best = p;
                float bestOff = -1;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int qy = py + dy;
                        int qx = px + dx;
                        if (qy < 0 || qy >= n || qx < 0 || qx >= n) {
                            continue;
                        }
                        int q = qy * n + qx;
                        float off = 0;
                        for (int c = 0; c < 3; c++) {
                            off = Math.max(off, Math.abs(chw[c * nn + q] - median[c * nn + p]));
                        }
                        if (off > bestOff) {
                            bestOff = off;
                            best = q;
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[c * nn + p] = (float) ((1 - blend) * chw[c * nn + p] + blend * chw[c * nn + best]);
                }
            }
        }
        return out;
    }

    /**
     * A square 3 x n x n image blurred by a Gaussian of spread {@code sigma} pixels (separable, edges repeated); the
     * image itself when sigma is below 0.05.
     */
    static float[] gaussianBlur(float[] chw, int n, double sigma) {
        if (sigma < 0.05) {
            return chw;
        }
        int radius = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        float[] rows = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            int o = c * n * n;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float a = 0;
                    for (int i = -radius; i <= radius; i++) {
                        a += k[i + radius] * chw[o + y * n + Math.max(0, Math.min(n - 1, x + i))];
                    }
                    rows[o + y * n + x] = a;
                }
            }
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float a = 0;
                    for (int i = -radius; i <= radius; i++) {
                        a += k[i + radius] * rows[o + Math.max(0, Math.min(n - 1, y + i)) * n + x];
                    }
                    out[o + y * n + x] = a;
                }
            }
        }
        return out;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * Trains and writes an upsampler; returns its held-out measurement: {bilinear PSNR, learned PSNR} of the
     * carried image against the full-resolution truth inside the hidden rectangles (where an edit's region
     * would be), over examples from {@code heldOut}.
     */
    public static double[] train(TrainingData data, TrainingData heldOut, Options o, Path out, NDManager parent,
            ProgressListener listener, boolean force) {
        ModelFolder.check(out, FORMAT, 1, KIND, force);
        long started = System.nanoTime();
        try (NDManager m = parent.newSubManager()) {
            UpsamplerNet net = o.network().create();
            int crop = o.crop();
            TrainingLoop.fit("upsampler", net, m, o.seed(), o.learningRate(), o.steps(), "l1", listener, (step, s, ps) -> {
                SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + step);
                int b = o.batchSize();
                float[] in = new float[b * 6 * crop * crop];
                float[] tg = new float[b * 3 * crop * crop];
                for (int i = 0; i < b; i++) {
                    Example e = example(ImageTensors.toRgb(data.get(r.nextInt(data.size())).image()),
                            o.sizes().get(r.nextInt(o.sizes().size())), o.resolution(), crop, o.noise(), o.blur(),
                            o.stain(), o.thicken(), r);
                    System.arraycopy(e.input(), 0, in, i * e.input().length, e.input().length);
                    System.arraycopy(e.target(), 0, tg, i * e.target().length, e.target().length);
                }
                NDArray x = s.create(in, new Shape(b, 6, crop, crop));
                return net.apply(ps, x, true).sub(s.create(tg, new Shape(b, 3, crop, crop))).abs().mean();
            });
            net.freezeParameters(true);
            double[] psnr = heldOutPsnr((p, x) -> net.apply(p, x, false), heldOut, o, m);
            ObjectNode man = Json.object();
            man.put("resolution", o.resolution());
            o.network().put(man, NETWORK);
            man.put("data", data.describe());
            man.set("training", Json.tree(o));
            man.put("trainingSeconds", Math.round((System.nanoTime() - started) / 1e9));
            man.putObject("metrics").put("heldOutBilinearPsnr", psnr[0]).put("heldOutLearnedPsnr", psnr[1])
                    .put("heldOutData", heldOut.describe());
            ModelFolder.writeModel(out, FORMAT, 1, KIND, force, "upsampler", net, man);
            return psnr;
        }
    }

    /** {bilinear, learned} PSNR inside the hidden rectangles of (at most 100) held-out examples. */
    static double[] heldOutPsnr(Net net, TrainingData heldOut, Options o, NDManager m) {
        SplittableRandom r = new SplittableRandom(o.seed() + 99);
        double[] errors = new double[3];
        int crop = o.crop();
        int count = Math.min(100, heldOut.size());
        for (int i = 0; i < count; i++) {
            Example e = example(ImageTensors.toRgb(heldOut.get(i).image()), o.sizes().get(i % o.sizes().size()),
                    o.resolution(), crop, o.noise(), o.blur(), o.stain(), o.thicken(), r);
            addErrors(net, e, m, errors);
        }
        return new double[] {psnr(errors[0], (long) errors[2]), psnr(errors[1], (long) errors[2])};
    }

    /**
     * Runs the net on one example and adds to {@code errors} = {bilinear, net, count} the squared errors (in 8-bit
     * units) of the bilinear input and of the net's output against the target inside the example's region.
     */
    static void addErrors(Net net, Example e, NDManager m, double[] errors) {
        int cc = e.region().length;
        int crop = (int) Math.round(Math.sqrt(cc));
        float[] y;
        try (NDManager s = m.newSubManager()) {
            y = net.apply(new ParameterStore(s, false), s.create(e.input(), new Shape(1, 6, crop, crop))).toFloatArray();
        }
        for (int p = 0; p < cc; p++) {
            if (!e.region()[p]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double t = (e.target()[c * cc + p] + 1) * 127.5;
                double b = (Math.max(-1, Math.min(1, e.input()[c * cc + p])) + 1) * 127.5;
                double l = (Math.max(-1, Math.min(1, y[c * cc + p])) + 1) * 127.5;
                errors[0] += (b - t) * (b - t);
                errors[1] += (l - t) * (l - t);
                errors[2]++;
            }
        }
    }

    static double psnr(double se, long n) {
        return n == 0 ? Double.NaN : 10 * Math.log10(255.0 * 255.0 / Math.max(se / n, 1e-10));
    }
}
