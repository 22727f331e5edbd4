package org.sdd4j.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.examples.demo.Bench;
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

    @Override
    public Integer call() {
        System.out.println("benchmarking (about a minute)...");
        List<Bench.Line> lines = Bench.run(teacherOption.teacher, width, distillSteps, repeats);
        System.out.print(Bench.table(lines));
        return 0;
    }
}
