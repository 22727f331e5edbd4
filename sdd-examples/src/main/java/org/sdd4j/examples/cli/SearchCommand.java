package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.io.Json;
import org.sdd4j.examples.demo.Reports;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores candidate timesteps with HQS. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Score candidate timesteps with the Hybrid Quality Score; print the table, write JSON and a plot.")
final class SearchCommand implements Callable<Integer> {

    @Mixin
    TeacherOption teacherOption;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--prompt", required = true, description = "The edit prompt, e.g. \"a smiling face\".")
    String prompt;

    @Option(names = "--samples", description = "Sample images (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int samples;

    @Option(names = "--rule", description = "largest, threshold:XI or min-entropy (default: ${DEFAULT-VALUE}).",
            defaultValue = "threshold:0.5")
    String rule;

    @Option(names = "--out", description = "Folder for hqs.json and hqs.png (default: ${DEFAULT-VALUE}).",
            defaultValue = "sdd-search")
    Path out;

    @Mixin
    GuidanceMixin guidance;

    @Option(names = "--negative-prompt", defaultValue = "",
            description = "Prompt to guide away from, as the distillation will (e.g. \"a frowning face\").")
    String negativePrompt;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--force", description = "Search even when the teacher's recorded evaluation for the prompt is"
            + " missing or below 80%% (the readiness gate; a warning is printed).")
    boolean force;

    @Override
    public Integer call() {
        overwrite.check(out.resolve("hqs.json"), out.resolve("hqs.png"));
        teacherOption.requireReady(prompt, force);
        SddBackend backend = Backends.bestForTraining();
        TrainingData data = dataOptions.open();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherOption.folder())) {
            TimestepSelection s = backend.newTimestepSelector().select(teacher, prompt, DataOptions.samples(data, samples),
                    SelectionOptions.defaults().withRule(SelectionRule.parse(rule))
                            .withGuidanceOf(negativePrompt, guidance.apply(DistillOptions.defaults().sds())));
            System.out.print(Reports.hqsTable(s));
            Json.write(out.resolve("hqs.json"), SddDistiller.selectionJson(s));
            Reports.hqsPlot(s, out.resolve("hqs.png"));
            System.out.println("wrote " + out.resolve("hqs.json") + " and " + out.resolve("hqs.png"));
        }
        return 0;
    }
}
