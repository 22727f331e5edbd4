package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.examples.EmbeddedModels;
import org.sdd4j.examples.demo.TeacherEvaluation;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Measures whether teacher samples show what their prompts ask for. */
@Command(name = "evaluate-teacher", mixinStandardHelpOptions = true,
        description = "Sample N images per acceptance prompt with guided DDIM and report how often the oracle agrees.")
final class EvaluateTeacherCommand implements Callable<Integer> {

    @Mixin
    TeacherOption teacherOption;

    @Option(names = "--oracle", description = "Oracle folder (default: the embedded oracle).")
    Path oracle;

    @Option(names = "--samples", description = "Samples per prompt (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    int samples;

    @Option(names = "--steps", description = "DDIM steps (default: ${DEFAULT-VALUE}).", defaultValue = "25")
    int steps;

    @Option(names = "--cfg", description = "Guidance scale (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    float cfg;

    @Option(names = "--out", description = "Folder for sample grids (default: ${DEFAULT-VALUE}).",
            defaultValue = "sdd-teacher-eval")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path o = oracle != null ? oracle : EmbeddedModels.folder(EmbeddedModels.ORACLE);
        SddBackend backend = Backends.bestForTraining();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherOption.folder());
                NDManager m = backend.newManager(); Oracle judge = Oracle.load(o, m)) {
            long t0 = System.nanoTime();
            var rows = TeacherEvaluation.run(teacher, judge, samples, steps, cfg, m, out);
            System.out.printf("%-26s %8s %10s%n", "prompt", "samples", "oracle ok");
            for (var r : rows) {
                System.out.printf("%-26s %8d %9.1f%%%n", r.check().prompt(), r.samples(), 100 * r.agreement());
            }
            System.out.printf("(DDIM %d steps, CFG %.1f, %.0f s)%n", steps, cfg, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
