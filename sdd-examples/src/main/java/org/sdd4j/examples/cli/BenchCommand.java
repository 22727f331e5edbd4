package org.sdd4j.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.examples.demo.Bench;
import org.sdd4j.examples.demo.ThreadBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The benchmark table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure edit throughput (batch 1 and 32), teacher forward time, HQS search time,"
            + " distillation speed, peak memory, the manipulator's FLOP rate against the machine's"
            + " matrix-multiply rate, and SDEdit-50 vs SDD per edit, in one run; prints a table."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    TeacherOption teacherOption;

    @Option(names = "--width", description = "Manipulator width (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int width;

    @Option(names = "--distill-steps", description = "Distillation steps to time (default: ${DEFAULT-VALUE}).",
            defaultValue = "40")
    int distillSteps;

    @Option(names = "--repeats", description = "Repetitions of the short measurements (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int repeats;

    @Option(names = "--threads", description = "Instead: measure the thread policy (1 and 2 libtorch threads, alone"
            + " and next to a busy process) and memory over --memory-edits single edits.")
    boolean threads;

    @Option(names = "--memory-edits", description = "Edits of the memory measurement (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int memoryEdits;

    @Option(names = "--spark", description = "Instead: editing throughput on Spark local[1] and local[2] against the"
            + " plain editor, on the same files in one run.")
    boolean spark;

    @Option(names = "--editor", description = "With --spark: the editor bundle (default: an untrained manipulator of"
            + " --width, which costs the same).")
    java.nio.file.Path editor;

    @Option(names = "--edit", description = "With --spark and --editor: the edit (default: the bundle's first).")
    String edit;

    @Option(names = "--images", description = "With --spark: images (default: ${DEFAULT-VALUE}).", defaultValue = "4000")
    int images;

    @Option(names = "--size", description = "With --spark: image size in pixels (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int size;

    @Override
    public Integer call() {
        if (spark) {
            return sparkBench();
        }
        if (threads) {
            System.out.println("measuring the thread policy (about a minute; run it alone)...");
            String policy = System.getenv("OMP_WAIT_POLICY");
            System.out.println("OpenMP wait policy: " + (policy == null ? "libtorch's default (threads spin while they wait)"
                    : policy + " (OMP_WAIT_POLICY)"));
            System.out.print(ThreadBench.table(ThreadBench.run(600, 60)));
            System.out.println("resident memory over " + memoryEdits + " single edits in one process:");
            for (long[] p : ThreadBench.memoryOverEdits(memoryEdits, Math.max(1, memoryEdits / 10))) {
                System.out.printf("  after %6d edits: %5d MB%n", p[0], p[1]);
            }
            return 0;
        }
        System.out.println("benchmarking (about a minute)...");
        List<Bench.Line> lines = Bench.run(teacherOption.teacher, width, distillSteps, repeats);
        System.out.print(Bench.table(lines));
        return 0;
    }

    private int sparkBench() {
        SparkEditCommand.oneLibtorchThreadPerTask();
        java.nio.file.Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("sdd-spark-bench");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            java.nio.file.Path bundle = editor;
            String name = edit;
            if (bundle == null) {
                try (ai.djl.ndarray.NDManager m = org.sdd4j.api.Backends.best().newManager()) {
                    bundle = org.sdd4j.examples.demo.Bench.untrainedBundle(scratch.resolve("bundle"), width, 32, m);
                }
                name = "bench";
            } else if (name == null) {
                name = org.sdd4j.core.io.EditorBundle.readVerified(bundle).path("edits").fieldNames().next();
            }
            System.out.println("benchmarking Spark editing (" + images + " images of " + size + "x" + size
                    + "; a few minutes; run it alone)...");
            var rows = org.sdd4j.examples.demo.SparkBench.run(bundle, name, images, size, 32, scratch.resolve("in"));
            System.out.print(org.sdd4j.examples.demo.SparkBench.table(rows, size));
            return 0;
        } finally {
            try {
                org.sdd4j.core.io.AtomicFiles.deleteRecursively(scratch);
            } catch (java.io.IOException e) {
                System.err.println("could not remove " + scratch + ": " + e.getMessage());
            }
        }
    }
}
