package org.sdd4j.examples.demo;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sdd4j.core.guidance.Guidance;
import org.sdd4j.core.schedule.Noise;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sdd4j.api.Backends;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TrainingProgress;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.FullResolution;
import org.sdd4j.core.edit.GuidedUpsampler;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.HeldOut;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.examples.EmbeddedModels;

/**
 * The benchmark table: edit throughput, teacher forward time, HQS search time, distillation speed,
 * peak memory, the manipulator's achieved FLOP rate against the machine's matrix-multiply rate, and
 * the speed ratio of an SDEdit-50 edit to an SDD edit, all measured in the same process.
 */
public final class Bench {

    /**
     * One measurement.
     *
     * @param name what was measured
     * @param value the number
     * @param unit its unit
     * @param note how it was measured
     */
    public record Line(String name, double value, String unit, String note) {}

    private Bench() {}

    /**
     * Runs the benchmark.
     *
     * @param teacherFolder teacher folder, or null for the embedded one
     * @param width manipulator width
     * @param distillSteps distillation steps to time
     * @param repeats timed repetitions of the short measurements
     * @return the lines of the table
     */
    public static List<Line> run(Path teacherFolder, int width, int distillSteps, int repeats) {
        SddBackend backend = Backends.bestForTraining();
        Path tf = teacherFolder != null ? teacherFolder : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        List<Line> lines = new ArrayList<>();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("sdd-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a scratch folder: " + e.getMessage(), e);
        }
        try (DiffusionTeacher teacher = backend.loadTeacher(tf); NDManager m = backend.newManager()) {
            int res = teacher.imageSize();
            FaceWorld world = HeldOut.world(res);
            List<Face> faces = world.faces(0, 64);
            List<Image> images = FaceWorld.images(faces);
            List<BufferedImage> rgb = HeldOut.images(faces);

            // the manipulator: edit throughput through the public editor (a bundle loaded via the SPI)
            ResidualManipulator manip = untrained(width, m);
            Path bundle = bundle(scratch.resolve("bundle"), manip, res);
            double sddMs1;
            try (Editor editor = backend.loadEditor(bundle)) {
                double[] ms = editTimes(editor, images, repeats);
                sddMs1 = ms[0];
                lines.add(new Line("edit throughput, batch 1", 1000 / ms[0], "images/s", String.format(Locale.ROOT,
                        "%.2f ms per image, image in and out, %dx%d", ms[0], res, res)));
                lines.add(new Line("edit throughput, batch 32", 1000 / ms[1], "images/s", String.format(Locale.ROOT,
                        "%.2f ms per image", ms[1])));
            }
            exportedEdits(bundle, scratch, images, repeats, lines);
            putBackTimes(width, res, m, repeats, lines);
            double netMsPerImage;
            try (NDManager s = m.newSubManager()) {
                NDArray x = Noise.gaussian(s, new Shape(32, 3, res, res), new SplittableRandom(1));
                ParameterStore ps = new ParameterStore(s, false);
                manip.apply(ps, x, false).toFloatArray();
                netMsPerImage = timeMs(repeats * 2, () -> {
                    try (NDManager step = s.newSubManager()) {
                        NDArray in = x.duplicate();
                        in.attach(step);
                        manip.apply(ps, in, false).toFloatArray();
                    }
                }) / 32;
            }
            double flops = manip.flops(res, res);
            double achieved = flops / (netMsPerImage / 1000) / 1e9;
            double matmul = matmulGflops(m, 512, repeats);
            lines.add(new Line("manipulator network, batch 32", netMsPerImage, "ms/image", String.format(Locale.ROOT,
                    "%.1f MFLOP per image (convolutions), %,d parameters", flops / 1e6, manip.parameterCount())));
            lines.add(new Line("manipulator achieved rate", achieved, "GFLOP/s", "convolution FLOPs / network time"));
            lines.add(new Line("matrix multiply rate (512x512, fp32)", matmul, "GFLOP/s", "same engine, same run"));
            lines.add(new Line("manipulator rate / matmul rate", achieved / matmul, "ratio",
                    "how close the manipulator runs to the machine's dense rate"));

            // the teacher
            try (NDManager s = m.newSubManager(); Conditioning c = teacher.encode("a smiling face", s)) {
                for (int b : new int[] {1, 32}) {
                    NDArray x = Noise.gaussian(s, new Shape(b, 3, res, res), new SplittableRandom(2));
                    int[] t = new int[b];
                    Arrays.fill(t, 500);
                    Guidance.predictNoise(teacher, x, t, c, 7.5f).toFloatArray();
                    double ms = timeMs(repeats, () -> {
                        try (NDManager step = s.newSubManager()) {
                            NDArray in = x.duplicate();
                            in.attach(step);
                            Guidance.predictNoise(teacher, in, t, c, 7.5f).toFloatArray();
                        }
                    });
                    lines.add(new Line("teacher guided forward, batch " + b, ms, "ms/call",
                            "both CFG branches in one network call"));
                }
            }

            // SDEdit-50 vs SDD at batch 1
            SdEdit sdedit = new SdEdit(teacher);
            SdEdit.Options full = new SdEdit.Options(1.0, 50, 7.5f, 3);
            sdedit.edit(List.of(rgb.get(0)), "a smiling face", "", full.withSteps(2), 1, m);
            double sdeditMs = timeMs(Math.max(1, repeats / 2), () -> sdedit.edit(List.of(rgb.get(1)),
                    "a smiling face", "", full, 1, m));
            lines.add(new Line("SDEdit-50 edit, batch 1", sdeditMs, "ms/image", "strength 1.0, 50 DDIM steps, CFG 7.5"));
            lines.add(new Line("SDEdit-50 / SDD time per edit", sdeditMs / sddMs1, "ratio", "batch 1, same run"));

            // HQS search
            long t0 = System.nanoTime();
            TimestepSelection sel = backend.newTimestepSelector().select(teacher, "a smiling face",
                    FaceWorld.images(faces.subList(0, 16)), SelectionOptions.defaults());
            lines.add(new Line("HQS timestep search", (System.nanoTime() - t0) / 1e9, "s", String.format(Locale.ROOT,
                    "%d candidates x 16 images x %d noise draws", sel.scores().size(),
                    SelectionOptions.defaults().noiseDraws())));

            // distillation
            Path tmp = Files.createTempDirectory("sdd-bench");
            try {
                double[] sps = {0};
                ProgressListener speed = new ProgressListener() {
                    @Override
                    public void onStep(TrainingProgress p) {
                        sps[0] = p.stepsPerSecond();
                    }
                };
                DistillOptions d = DistillOptions.defaults().toBuilder().steps(distillSteps).manipulatorWidth(width)
                        .checkpointEvery(distillSteps).previewEvery(0).build();
                FaceWorld train = HeldOut.trainingWorld(res);
                backend.newDistiller().distill(new DistillRequest("bench", "a smiling face", "", teacher, train, sel, d,
                        tmp.resolve("bundle"), tmp.resolve("work"), speed));
                lines.add(new Line("distillation speed", sps[0], "steps/s", String.format(Locale.ROOT,
                        "batch %d, SDS + pixel + identity losses, AdamW", d.batchSize())));
            } finally {
                deleteTree(tmp);
            }
            lines.add(new Line("peak resident memory", peakRssMb(), "MB", "VmHWM of this process (Linux)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                deleteTree(scratch);
            } catch (IOException e) {
                // a scratch folder in the temporary directory; nothing of the user's
            }
        }
        return lines;
    }

    /**
     * Milliseconds per image for each put-back at 256x256 and 1024x768, batch 1, with a manipulator of random
     * weights: it changes the whole image, the worst case for the put-backs that work where the edit changed it.
     * LEARNED uses the embedded FaceWorld upsampler (32 px only).
     */
    private static void putBackTimes(int width, int res, NDManager m, int repeats, List<Line> lines) {
        ResidualManipulator manip = new ResidualManipulator(width, true);
        manip.initialize(m);
        SplittableRandom r = new SplittableRandom(7);
        for (var p : manip.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (Noise.gaussian(r) * 0.2);
            }
            a.set(java.nio.FloatBuffer.wrap(v));
        }
        manip.freezeParameters(true);
        try (ManipulatorEditor editor = ManipulatorEditor.of(m, java.util.Map.of("bench", manip), res)) {
            boolean learned = res == 32;
            if (learned) {
                editor.upsampler("bench", GuidedUpsampler.load(EmbeddedModels.folder(EmbeddedModels.UPSAMPLER), m));
            }
            for (int[] size : new int[][] {{256, 256}, {1024, 768}}) {
                List<BufferedImage> in = List.of(new FaceWorld(5, 4, size[1]).face(0).image());
                BufferedImage wide = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
                wide.getGraphics().drawImage(in.get(0), (size[0] - size[1]) / 2, 0, null);
                List<BufferedImage> one = List.of(wide);
                double blend = Double.NaN;
                // the blend first: the others are reported against it
                for (FullResolution.Mode mode : List.of(FullResolution.Mode.BLEND, FullResolution.Mode.RESIDUAL,
                        FullResolution.Mode.EDGE_AWARE, FullResolution.Mode.LEARNED)) {
                    if (mode == FullResolution.Mode.LEARNED && !learned) {
                        lines.add(new Line("put-back LEARNED, " + size[0] + "x" + size[1], Double.NaN, "ms/image",
                                "the embedded upsampler carries 32-px edits; this teacher's are " + res + " px"));
                        continue;
                    }
                    editor.editRgb(one, "bench", mode);
                    double ms = timeMs(Math.max(1, repeats), () -> editor.editRgb(one, "bench", mode));
                    if (mode == FullResolution.Mode.BLEND) {
                        blend = ms;
                    }
                    lines.add(new Line("put-back " + mode + ", " + size[0] + "x" + size[1], ms, "ms/image",
                            mode == FullResolution.Mode.BLEND ? "batch 1, the whole image edited (worst case)"
                                    : String.format(Locale.ROOT, "%.1f x BLEND, same run", ms / blend)));
                }
            }
        }
    }

    /** Milliseconds per image at batch 1 and at batch 32, after a warm-up. */
    private static double[] editTimes(Editor editor, List<Image> images, int repeats) {
        editor.edit(images.subList(0, 8), "bench");
        double ms1 = timeMs(repeats * 32, () -> editor.edit(images.get(0), "bench"));
        double ms32 = timeMs(repeats, () -> editor.edit(images.subList(0, 32), "bench")) / 32;
        return new double[] {ms1, ms32};
    }

    /** The same bundle exported by every other backend that can export (TensorFlow SavedModel here) and run there. */
    private static void exportedEdits(Path bundle, Path scratch, List<Image> images, int repeats, List<Line> lines) {
        for (SddBackend b : Backends.all()) {
            if (b == null || b.name().equals(Backends.bestForTraining().name())) {
                continue;
            }
            if (!b.isAvailable()) {
                lines.add(new Line("edit throughput on " + b.name(), Double.NaN, "images/s",
                        b.unavailableReason().orElse("")));
                continue;
            }
            Path out = scratch.resolve("export-" + b.name());
            try {
                b.exportEditor(bundle, out, false);
            } catch (UnsupportedOperationException e) {
                continue;
            }
            try (Editor e = b.loadEditor(out)) {
                double[] ms = editTimes(e, images, repeats);
                lines.add(new Line("edit throughput on " + b.name() + ", batch 1", 1000 / ms[0], "images/s",
                        String.format(Locale.ROOT, "%.2f ms per image, exported editor", ms[0])));
                lines.add(new Line("edit throughput on " + b.name() + ", batch 32", 1000 / ms[1], "images/s",
                        String.format(Locale.ROOT, "%.2f ms per image", ms[1])));
            }
        }
    }

    /** The lines as a markdown table. */
    public static String table(List<Line> lines) {
        StringBuilder sb = new StringBuilder("| measurement | value | unit | how |\n|---|---:|---|---|\n");
        for (Line l : lines) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", l.name(), number(l.value()), l.unit(),
                    l.note()));
        }
        return sb.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Mean milliseconds of {@code n} runs. */
    private static double timeMs(int n, Runnable r) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    /** fp32 matrix-multiply rate of the engine: 2 n^3 FLOPs per product. */
    static double matmulGflops(NDManager m, int n, int repeats) {
        try (NDManager s = m.newSubManager()) {
            NDArray a = Noise.gaussian(s, new Shape(n, n), new SplittableRandom(4));
            NDArray b = Noise.gaussian(s, new Shape(n, n), new SplittableRandom(5));
            a.matMul(b).toFloatArray();
            double ms = timeMs(repeats * 4, () -> {
                try (NDManager step = s.newSubManager()) {
                    NDArray c = a.matMul(b);
                    c.attach(step);
                    c.getFloat(0, 0);
                }
            });
            return 2.0 * n * n * n / (ms / 1000) / 1e9;
        }
    }

    /** Peak resident set size in MB from /proc/self/status, NaN where that is not available. */
    static double peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    /**
     * A bundle with one edit, "bench", whose manipulator is freshly initialised: it costs what a trained
     * one costs to run.
     */
    public static Path untrainedBundle(Path bundle, int width, int res, NDManager m) {
        return bundle(bundle, untrained(width, m), res);
    }

    private static ResidualManipulator untrained(int width, NDManager m) {
        ResidualManipulator manip = new ResidualManipulator(width);
        manip.initialize(m);
        manip.freezeParameters(true);
        return manip;
    }

    private static Path bundle(Path bundle, ResidualManipulator manip, int res) {
        int width = manip.width();
        ObjectNode header = Json.object();
        header.put("resolution", res);
        EditorBundle.addEdit(new EditorBundle.Target(bundle, false, false), "bench", Json.object(),
                new EditorBundle.WeightsHeader(manip.architecture(), width, res), manip, header);
        return bundle;
    }

    /** A memory line of /proc/self/status (e.g. {@code VmRSS:}) in MB, NaN where that is not available. */
    static double procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static void deleteTree(Path p) throws IOException {
        AtomicFiles.deleteRecursively(p);
    }
}
