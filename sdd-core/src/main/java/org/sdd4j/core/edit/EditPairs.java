package org.sdd4j.core.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.eval.TimedEdits;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.train.TrainingLoop;

/**
 * Fine-tunes a guided upsampler to one edit with pairs the edit makes itself. The generic upsampler learns from
 * plain shrinks of images, but an edit's output is not a shrink of any image: its strokes are softer and placed a
 * little differently, and the upsampler draws them as a wavy, blotchy line at full size. Here the training input is
 * a real edit whose right answer is known: an image that already shows the edit (its caption says so) is taken back
 * by a reverse edit (a second editor, e.g. "frowning" for "smiling"), and the edit is then applied to that; the
 * upsampler learns to carry this edit to the full-size image it started from.
 *
 * <p>What it is shown of the full-size image is hidden where either edit changed anything (the put-back's change
 * mask of each, widened by {@link Options#grow()} pixels at the model resolution), so that it cannot copy the answer
 * from what the reverse edit removed and does not learn to bring it back. Measured on FaceWorld's "smiling" (200
 * held-out faces, docs/RESULTS.md): with the masks not widened the frown came back on 19-22% of faces; widened by 4
 * pixels it did not (9.0% against the generic upsampler's 9.5% at 256 px), and the mouth came 1.5 dB closer to the
 * genuine one at 256 px (2.1 dB at 128 px).
 */
public final class EditPairs {

    private EditPairs() {}

    /**
     * One pair: the index of a data image that already shows the edit, the reverse edit of its shrink and the edit
     * of that, both 3 x res x res in [-1, 1].
     *
     * @param index the data image (the full-size truth)
     * @param back the reverse edit of its shrink
     * @param edited the edit of {@code back}: the upsampler's input
     */
    public record Pair(int index, float[] back, float[] edited) {}

    /**
     * How the fine-tune runs.
     *
     * @param steps steps
     * @param learningRate AdamW learning rate
     * @param share the share of each batch drawn from the pairs; the rest are the generic upsampler's examples (a
     *     hidden rectangle) made from data images at the model resolution, enlarged: they have no detail to add, so
     *     they teach the upsampler to draw detail only where the pairs show it. Measured on FaceWorld's "smiling"
     *     (two seeds, 200 held-out faces): with full-size images there instead, the frown came back on 11.5-14.0% of
     *     faces at 128 px against 8.5% (the generic upsampler: 11.0%), for the same PSNR in the mouth
     * @param grow pixels, at the model resolution, by which the two change masks are widened before hiding
     * @param smoothing the smoothing the fine-tuned upsampler records ({@link GuidedUpsampler.Network#smoothing()});
     *     null for the starting upsampler's
     */
    public record Options(int steps, float learningRate, double share, int grow, Double smoothing) {
        /** Options that keep the starting upsampler's smoothing. */
        public Options(int steps, float learningRate, double share, int grow) {
            this(steps, learningRate, share, grow, null);
        }

        /** Validates. */
        public Options {
            if (smoothing != null) {
                GuidedUpsampler.Network.DEFAULT.withSmoothing(smoothing);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("upsampler fine-tune: steps must be >= 1, got " + steps);
            }
            if (!(learningRate > 0 && learningRate < 1)) {
                throw new IllegalArgumentException("upsampler fine-tune: learning rate must be in (0, 1), got "
                        + learningRate);
            }
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("upsampler fine-tune: the pairs' share must be in (0, 1], got "
                        + share);
            }
            if (grow < 0 || grow > 8) {
                throw new IllegalArgumentException("upsampler fine-tune: grow must be in [0, 8] pixels, got " + grow);
            }
        }

        /**
         * The measured recipe: 800 steps at 0.001 (5 minutes on 2 cores; 3,000 steps gave 0.4 dB more at 256 px in
         * 21 minutes, and 3,200 steps on 4,096 pairs, the shipped smiling upsampler, 0.5-0.6 dB more at 128 and 256 px
         * in 17 minutes), 80% pairs, masks widened by 4 pixels.
         */
        public static Options defaults() {
            return new Options(800, 0.001f, 0.8, 4);
        }
    }

    /**
     * The indices of the first {@code n} data images whose caption matches {@code captions} (found anywhere in the
     * caption, case-insensitive).
     *
     * @throws IllegalArgumentException when fewer than 16 match, or for a pattern that is not a regular expression
     */
    public static List<Integer> showingTheEdit(TrainingData data, String captions, int n) {
        Pattern p;
        try {
            p = Pattern.compile(captions, Pattern.CASE_INSENSITIVE);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("the captions of images that show the edit: '" + captions + "' is not a"
                    + " regular expression (" + e.getDescription() + ")", e);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < data.size() && out.size() < n; i++) {
            if (p.matcher(data.caption(i)).find()) {
                out.add(i);
            }
        }
        if (out.size() < 16) {
            throw new IllegalArgumentException("only " + out.size() + " images of " + data.describe() + " have a"
                    + " caption matching '" + captions + "'; the fine-tune needs at least 16 images that already show"
                    + " the edit");
        }
        return out;
    }

    /**
     * Makes the pairs: each image shrunk to {@code res}, taken back by {@code reverse}'s {@code reverseEdit}, then
     * edited by {@code forward}'s {@code edit}.
     */
    public static List<Pair> make(TrainingData data, List<Integer> indices, int res, Editor forward, String edit,
            Editor reverse, String reverseEdit, ProgressListener listener) {
        requireEdit(forward, edit, "editor");
        requireEdit(reverse, reverseEdit, "reverse editor");
        List<Pair> out = new ArrayList<>(indices.size());
        int chunk = 64;
        for (int from = 0; from < indices.size(); from += chunk) {
            List<Integer> part = indices.subList(from, Math.min(indices.size(), from + chunk));
            List<BufferedImage> shrunk = new ArrayList<>(part.size());
            for (int i : part) {
                shrunk.add(ImageTensors.resize(ImageTensors.toRgb(data.get(i).image()), res, res));
            }
            List<BufferedImage> back = TimedEdits.editAll(reverse, reverseEdit, shrunk);
            List<BufferedImage> edited = TimedEdits.editAll(forward, edit, back);
            for (int k = 0; k < part.size(); k++) {
                out.add(new Pair(part.get(k), ImageTensors.toChw(back.get(k), res), ImageTensors.toChw(edited.get(k),
                        res)));
            }
            listener.onMessage("pairs made: " + out.size() + " of " + indices.size());
        }
        return out;
    }

    private static void requireEdit(Editor e, String edit, String what) {
        if (!e.edits().contains(edit)) {
            throw new IllegalArgumentException("the " + what + " has no edit \"" + edit + "\"; it knows: " + e.edits());
        }
    }

    /**
     * Where the upsampler is not shown the full-size image, at the model resolution (res x res, in [0, 1]): the
     * put-back's change mask of the edit and of the reverse edit against the shrink, the larger of the two, widened
     * by {@code grow} pixels.
     */
    static float[] hidden(float[] shrink, Pair p, int res, int grow) {
        float[] a = FullResolution.mask(minus(p.edited(), shrink), res);
        float[] b = FullResolution.mask(minus(p.back(), shrink), res);
        float[] m = new float[a.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.max(a[i], b[i]);
        }
        for (int g = 0; g < grow; g++) {
            m = FullResolution.neighbourhood(m, res, true);
        }
        return m;
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /**
     * A training example from a pair, laid out as {@link GuidedUpsampler#example}'s: the edit (with a little noise)
     * upsampled bilinearly beside the full-size image hidden where {@link #hidden} says, the target the full-size
     * image; the crop lies around the hidden region.
     */
    static GuidedUpsampler.Example example(TrainingData data, Pair p, int size, int res, int crop, double noise,
            int grow, SplittableRandom r) {
        BufferedImage full = ImageTensors.toRgb(data.get(p.index()).image());
        float[] shrink = ImageTensors.toChw(ImageTensors.resize(full, res, res), res);
        float[] target = ImageTensors.toChw(ImageTensors.resize(full, size, size));
        float[] low = p.edited().clone();
        float sigma = (float) (noise * r.nextDouble());
        for (int i = 0; i < low.length; i++) {
            low[i] = Math.max(-1f, Math.min(1f, low[i] + sigma * (float) GuidedUpsampler.gaussian(r)));
        }
        float[] mask = hidden(shrink, p, res, grow);
        float[] mask3 = new float[3 * res * res];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(mask, 0, mask3, c * res * res, res * res);
        }
        int hw = size * size;
        float[] up = FullResolution.upsampled(low, 0, res, size, 0, 0, 0, 0, size, size);
        float[] fine = Arrays.copyOf(FullResolution.upsampled(mask3, 0, res, size, 0, 0, 0, 0, size, size), hw);
        float[] orig = GuidedUpsampler.hideRegion(target, up, fine);
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int q = 0; q < hw; q++) {
            sx += fine[q] * (q % size);
            sy += fine[q] * (q / size);
            sw += fine[q];
        }
        int mx = sw > 0 ? (int) (sx / sw) : size / 2;
        int my = sw > 0 ? (int) (sy / sw) : size / 2;
        int cx = mx - crop / 2 + r.nextInt(crop / 2 + 1) - crop / 4;
        int cy = my - crop / 2 + r.nextInt(crop / 2 + 1) - crop / 4;
        return GuidedUpsampler.cropped(up, orig, target, fine, size, cx, cy, crop);
    }

    /**
     * What a fine-tune measured on the held-out pairs (the last eighth, never trained on): PSNR inside the hidden
     * region of bilinear upsampling, of the upsampler it started from and of the fine-tuned one.
     */
    public record Result(double bilinearPsnr, double startPsnr, double tunedPsnr, int trainPairs, int heldOutPairs) {}

    /**
     * Fine-tunes the upsampler in {@code from} on {@code pairs} (the last eighth held out for the measurement) mixed
     * with the generic examples of {@code data}, and writes it to {@code out}.
     *
     * @param from the upsampler folder to start from
     * @param data the data the pairs index (and the generic examples come from)
     * @param pairs from {@link #make}
     * @param edit the edit's name (recorded)
     * @param o the fine-tune's options
     * @param base the generic options (sizes, crop, batch, noise, seed); its steps and rate are not used
     * @param out the folder to write (refused if it holds anything unless {@code force})
     * @param provenance where the pairs came from (editors, captions), recorded under {@code pairs}
     */
    public static Result fineTune(Path from, TrainingData data, List<Pair> pairs, String edit, Options o,
            GuidedUpsampler.Options base, Path out, NDManager parent, ProgressListener listener, boolean force,
            java.util.Map<String, String> provenance) {
        JsonNode fromManifest = checkFolders(from, out, base.resolution(), force);
        if (pairs.size() < 16) {
            throw new IllegalArgumentException("the fine-tune needs at least 16 pairs, got " + pairs.size());
        }
        long started = System.nanoTime();
        int heldOut = Math.max(2, pairs.size() / 8);
        List<Pair> train = pairs.subList(0, pairs.size() - heldOut);
        List<Pair> check = pairs.subList(pairs.size() - heldOut, pairs.size());
        try (NDManager m = parent.newSubManager();
                GuidedUpsampler start = GuidedUpsampler.load(from, m)) {
            double[] before = measure(start.net(), data, check, base, o.grow(), m);
            UpsamplerNet net = (UpsamplerNet) start.block();
            net.freezeParameters(false);
            int crop = base.crop();
            // its weights are loaded already, so initialising leaves them as they are
            TrainingLoop.fit("upsampler fine-tune", net, m, base.seed(), o.learningRate(), o.steps(), "l1",
                    listener, (step, s, ps) -> {
                        SplittableRandom r = new SplittableRandom(base.seed() * 1_000_003L + step);
                        int b = base.batchSize();
                        int size = base.sizes().get(r.nextInt(base.sizes().size()));
                        float[] in = new float[b * 6 * crop * crop];
                        float[] tg = new float[b * 3 * crop * crop];
                        for (int i = 0; i < b; i++) {
                            GuidedUpsampler.Example e = r.nextDouble() < o.share()
                                    ? example(data, train.get(r.nextInt(train.size())), size, base.resolution(), crop,
                                            base.noise(), o.grow(), r)
                                    : GuidedUpsampler.example(ImageTensors.resize(ImageTensors.toRgb(data.get(
                                            r.nextInt(data.size())).image()), base.resolution(), base.resolution()),
                                            size, base.resolution(), crop, base.noise(), 0, 0, 0, r);
                            System.arraycopy(e.input(), 0, in, i * e.input().length, e.input().length);
                            System.arraycopy(e.target(), 0, tg, i * e.target().length, e.target().length);
                        }
                        return net.apply(ps, s.create(in, new Shape(b, 6, crop, crop)), true)
                                .sub(s.create(tg, new Shape(b, 3, crop, crop))).abs().mean();
                    });
            net.freezeParameters(true);
            double[] after = measure((p, x) -> net.apply(p, x, false), data, check, base, o.grow(), m);
            Result result = new Result(before[0], before[1], after[1], train.size(), check.size());
            ObjectNode man = Json.object();
            man.put("resolution", base.resolution());
            GuidedUpsampler.Network network = GuidedUpsampler.Network.of(fromManifest, GuidedUpsampler.NETWORK);
            (o.smoothing() == null ? network : network.withSmoothing(o.smoothing())).put(man, GuidedUpsampler.NETWORK);
            man.put("data", data.describe());
            man.put("edit", edit);
            man.putObject("fineTunedFrom").put("manifestSha256", AtomicFiles.sha256(from.resolve("manifest.json")))
                    .put("data", fromManifest.path("data").asText());
            ObjectNode made = man.putObject("pairs");
            provenance.forEach(made::put);
            made.put("count", pairs.size());
            man.set("training", Json.tree(o));
            man.set("generic", Json.tree(base));
            man.put("trainingSeconds", Math.round((System.nanoTime() - started) / 1e9));
            man.set("metrics", Json.tree(result));
            ModelFolder.writeModel(out, GuidedUpsampler.FORMAT, 1, GuidedUpsampler.KIND, force, "upsampler", net, man);
            return result;
        }
    }

    /**
     * Checks, without writing, that a fine-tune may start from {@code from} and write {@code out} (so a command can
     * refuse before any work): {@code from} an upsampler of this resolution, {@code out} not that same folder and
     * acceptable to {@link ModelFolder#check}.
     *
     * @return the manifest of {@code from}
     * @throws IllegalArgumentException saying what is wrong
     */
    public static JsonNode checkFolders(Path from, Path out, int resolution, boolean force) {
        JsonNode fromManifest = GuidedUpsampler.check(from, resolution);
        if (sameFolder(from, out)) {
            throw new IllegalArgumentException(out + " is the upsampler the fine-tune starts from; write the fine-tuned"
                    + " one to another folder (nothing was written)");
        }
        ModelFolder.check(out, GuidedUpsampler.FORMAT, 1, GuidedUpsampler.KIND, force);
        return fromManifest;
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())
                    || java.nio.file.Files.exists(b) && java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {bilinear, net} PSNR inside the hidden region of the pairs, over both sizes of {@code o} in turn. */
    static double[] measure(GuidedUpsampler.Net net, TrainingData data, List<Pair> pairs, GuidedUpsampler.Options o,
            int grow, NDManager m) {
        SplittableRandom r = new SplittableRandom(o.seed() + 99);
        double[] errors = new double[3];
        for (int k = 0; k < pairs.size(); k++) {
            GuidedUpsampler.addErrors(net, example(data, pairs.get(k), o.sizes().get(k % o.sizes().size()),
                    o.resolution(), o.crop(), 0, grow, r), m, errors);
        }
        return new double[] {GuidedUpsampler.psnr(errors[0], (long) errors[2]),
            GuidedUpsampler.psnr(errors[1], (long) errors[2])};
    }


    /** A one-line summary of a result, for logs. */
    public static String describe(Result r) {
        return String.format(Locale.ROOT, "held-out pairs (%d): bilinear %.2f dB, before %.2f dB, after %.2f dB",
                r.heldOutPairs(), r.bilinearPsnr(), r.startPsnr(), r.tunedPsnr());
    }
}
