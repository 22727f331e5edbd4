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
        description = {"Sample N images per prompt with guided DDIM and report how often a judge agrees: on FaceWorld"
            + " the oracle (the acceptance prompts); with --data a caption judge trained here on your own images"
            + " (its most frequent captions as classes, every fifth image held out, its held-out accuracy"
            + " reported), with a Frechet distance between samples and real images of each caption in the judge's"
            + " feature space. --record writes the agreement into the teacher's manifest, where distill and search"
            + " read it (the readiness gate)."})
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

    @Option(names = "--data", description = "A CSV/JSONL list of your captioned images: judge the teacher with a"
            + " caption classifier trained on them.")
    Path data;

    @Option(names = "--allow-outside-paths", description = "Let the --data list name files outside its own folder.")
    boolean allowOutside;

    @Option(names = "--judge-steps", description = "Training steps of the caption judge (default: ${DEFAULT-VALUE}).",
            defaultValue = "800")
    int judgeSteps;

    @Option(names = "--record", description = "Write the measured agreement into the teacher folder's manifest (the"
            + " manifest is switched atomically; every file is kept).")
    boolean record;

    @Override
    public Integer call() throws Exception {
        if (record && teacherOption.teacher == null) {
            throw new IllegalArgumentException("--record needs --teacher: the embedded teacher's evaluation is already"
                    + " recorded");
        }
        if (data != null) {
            return judgeOnData();
        }
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
            if (record) {
                com.fasterxml.jackson.databind.node.ObjectNode e = evaluation("embedded oracle");
                com.fasterxml.jackson.databind.node.ObjectNode agrees = e.putObject("oracleAgrees");
                for (var r : rows) {
                    agrees.put(r.check().prompt(), r.agreement());
                }
                recordInto(e);
            }
        }
        return 0;
    }

    private int judgeOnData() {
        org.sdd4j.api.TrainingData d = org.sdd4j.core.data.CaptionedFolder.open(data, allowOutside);
        SddBackend backend = Backends.bestForTraining();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherOption.folder()); NDManager m = backend.newManager()) {
            long t0 = System.nanoTime();
            try (org.sdd4j.core.eval.CaptionJudge judge = Judges.train(d, judgeSteps, m)) {
                var rows = org.sdd4j.core.eval.TeacherJudging.run(teacher, judge, d, samples, steps, cfg, m);
                System.out.printf("%-32s %8s %10s %10s %18s%n", "caption", "samples", "judge ok", "Frechet",
                        "judge on real");
                for (var r : rows) {
                    System.out.printf("%-32s %8d %9.1f%% %10.1f %17.1f%%%n", r.caption(), r.samples(),
                            100 * r.agreement(), r.frechet(), 100 * judge.heldOutRecall(r.caption()));
                }
                System.out.println("(judge on real: the share of the caption's held-out real images the judge names"
                        + " correctly, what a perfect teacher would reach)");
                System.out.printf("(DDIM %d steps, CFG %.1f, %.0f s)%n", steps, cfg, (System.nanoTime() - t0) / 1e9);
                if (record) {
                    com.fasterxml.jackson.databind.node.ObjectNode e = evaluation("caption judge trained on " + data
                            + String.format(java.util.Locale.ROOT, " (held-out accuracy %.3f on %d images)",
                                    judge.heldOutAccuracy(), judge.heldOutImages()));
                    e.put("judgeHeldOutAccuracy", judge.heldOutAccuracy());
                    com.fasterxml.jackson.databind.node.ObjectNode agrees = e.putObject("captionAgrees");
                    com.fasterxml.jackson.databind.node.ObjectNode fd = e.putObject("frechet");
                    com.fasterxml.jackson.databind.node.ObjectNode real = e.putObject("judgeHeldOutRecall");
                    for (var r : rows) {
                        agrees.put(r.caption(), r.agreement());
                        fd.put(r.caption(), r.frechet());
                        real.put(r.caption(), judge.heldOutRecall(r.caption()));
                    }
                    recordInto(e);
                }
            }
        }
        return 0;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode evaluation(String judgeName) {
        com.fasterxml.jackson.databind.node.ObjectNode e = org.sdd4j.core.io.Json.object();
        e.put("command", "sdd evaluate-teacher" + (data != null ? " --data " + data : ""));
        e.put("samplesPerPrompt", samples);
        e.put("ddimSteps", steps);
        e.put("guidanceScale", cfg);
        e.put("judge", judgeName);
        return e;
    }

    private void recordInto(com.fasterxml.jackson.databind.node.ObjectNode e) {
        org.sdd4j.core.eval.Readiness.record(teacherOption.folder(), e);
        System.out.println("recorded in " + teacherOption.folder().resolve("manifest.json"));
    }
}
