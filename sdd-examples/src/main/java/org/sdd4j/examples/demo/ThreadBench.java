package org.sdd4j.examples.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ops;

/**
 * The thread-policy measurement: single edits and training steps with 1 and 2 libtorch threads, alone
 * and next to one busy single-threaded process ({@code yes > /dev/null}), in one run; and resident
 * memory over many edits in one process.
 */
public final class ThreadBench {

    private ThreadBench() {}

    /** One cell of the table. */
    public record Cell(int threads, boolean busy, double editsPerSecond, double stepsPerSecond) {}

    /** Runs the measurement. */
    public static List<Cell> run(int edits, int steps) {
        List<Cell> cells = new ArrayList<>();
        List<BufferedImage> faces = FaceWorld.images(new FaceWorld(3, 1000, 32).faces(0, 64)).stream()
                .map(ImageTensors::toRgb).toList();
        SddBackend backend = Backends.bestForTraining();
        try (NDManager m = backend.newManager()) {
            ResidualManipulator manip = new ResidualManipulator(16);
            manip.initialize(m);
            try (ManipulatorEditor editor = ManipulatorEditor.of(m, Map.of("e", (Manipulator) manip), 32);
                    AdamW opt = new AdamW(manip, m, 1e-4f, 0f)) {
                for (int threads : new int[] {1, 2}) {
                    if (!backend.setIntraOpThreads(threads)) {
                        throw new IllegalStateException("the " + backend.name() + " backend has no thread setting");
                    }
                    for (boolean busy : new boolean[] {false, true}) {
                        Process competitor = busy ? startBusy() : null;
                        try {
                            // warm-up, then time
                            editor.editRgb(List.of(faces.get(0)), "e");
                            long t0 = System.nanoTime();
                            for (int i = 0; i < edits; i++) {
                                editor.editRgb(List.of(faces.get(i % faces.size())), "e");
                            }
                            double eps = edits / ((System.nanoTime() - t0) / 1e9);
                            trainStep(manip, opt, m, faces);
                            long t1 = System.nanoTime();
                            for (int i = 0; i < steps; i++) {
                                trainStep(manip, opt, m, faces);
                            }
                            double sps = steps / ((System.nanoTime() - t1) / 1e9);
                            cells.add(new Cell(threads, busy, eps, sps));
                        } finally {
                            if (competitor != null) {
                                competitor.destroyForcibly();
                            }
                        }
                    }
                }
            }
        } finally {
            backend.setIntraOpThreads(1);
        }
        return cells;
    }

    private static Process startBusy() {
        try {
            return new ProcessBuilder("yes").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the competing process `yes`", e);
        }
    }

    /** A manipulator training step at batch 8 (forward, backward, AdamW), as in distillation minus the teacher. */
    private static void trainStep(ResidualManipulator manip, AdamW opt, NDManager m, List<BufferedImage> faces) {
        try (NDManager sm = m.newSubManager()) {
            NDArray y = ImageTensors.batch(faces.subList(0, 8), 32, sm);
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray out = manip.apply(new ParameterStore(sm, false), y, true);
                gc.backward(out.sub(Ops.mul(y, 0.9f)).square().mean());
            }
            opt.update();
        }
    }

    /** The table, with the busy/alone ratio of each thread setting. */
    public static String table(List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        sb.append("| libtorch threads | CPU | single edits / s | training steps / s (batch 8) |\n");
        sb.append("| --- | --- | --- | --- |\n");
        for (Cell c : cells) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.1f |%n", c.threads(),
                    c.busy() ? "one busy process beside" : "alone", c.editsPerSecond(), c.stepsPerSecond()));
        }
        for (int threads : new int[] {1, 2}) {
            Cell alone = find(cells, threads, false);
            Cell busy = find(cells, threads, true);
            sb.append(String.format(Locale.ROOT, "%d thread(s): busy / alone = %.2f for edits, %.2f for training%n",
                    threads, busy.editsPerSecond() / alone.editsPerSecond(),
                    busy.stepsPerSecond() / alone.stepsPerSecond()));
        }
        return sb.toString();
    }

    private static Cell find(List<Cell> cells, int threads, boolean busy) {
        return cells.stream().filter(c -> c.threads() == threads && c.busy() == busy).findFirst().orElseThrow();
    }

    /**
     * Resident memory (VmRSS, MB) after every {@code every} of {@code n} single edits in one process.
     *
     * @return pairs (edits done, MB)
     */
    public static List<long[]> memoryOverEdits(int n, int every) {
        List<long[]> out = new ArrayList<>();
        List<BufferedImage> faces = FaceWorld.images(new FaceWorld(4, 1000, 32).faces(0, 16)).stream()
                .map(ImageTensors::toRgb).toList();
        try (NDManager m = Backends.bestForTraining().newManager()) {
            ResidualManipulator manip = new ResidualManipulator(16);
            manip.initialize(m);
            try (ManipulatorEditor editor = ManipulatorEditor.of(m, Map.of("e", (Manipulator) manip), 32)) {
                for (int i = 1; i <= n; i++) {
                    editor.editRgb(List.of(faces.get(i % faces.size())), "e");
                    if (i % every == 0) {
                        out.add(new long[] {i, rssMb()});
                    }
                }
            }
        }
        return out;
    }

    static long rssMb() {
        return Math.round(Bench.procStatusMb("VmRSS:"));
    }
}
