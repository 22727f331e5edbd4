package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.SelectionRule;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Distils one edit into an editor bundle. */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = {"Train a manipulator for one edit under the teacher's guidance and add it to an editor bundle.",
            "Timesteps come from an HQS search (default) or --timesteps. An interrupted run resumes."})
final class DistillCommand implements Callable<Integer> {

    @Mixin
    TeacherOption teacherOption;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--edit", required = true, description = "The edit's name in the bundle, e.g. smiling.")
    String edit;

    @Option(names = "--prompt", required = true, description = "The teacher prompt, e.g. \"a smiling face\".")
    String prompt;

    @Option(names = "--negative-prompt", defaultValue = "",
            description = "Prompt to guide away from instead of the empty prompt, e.g. \"a frowning face\".")
    String negativePrompt;

    @Option(names = "--out", required = true, description = {"The editor bundle folder: created, or extended with this"
        + " edit (its other edits are kept; the switch is atomic)."})
    Path out;

    @Option(names = "--work", description = "Work folder: checkpoint, curves, previews (default: <out>.work/<edit>).")
    Path work;

    @Option(names = "--replace", description = "Replace the edit if the bundle already has it (default: refuse).")
    boolean replace;

    @Mixin
    ForceOption force;

    @Option(names = "--timesteps", split = ",", description = "Fixed timesteps instead of an HQS search.")
    List<Integer> timesteps;

    @Option(names = "--rule", description = "HQS rule: largest, threshold:XI, min-entropy (default: ${DEFAULT-VALUE}).",
            defaultValue = "threshold:0.5")
    String rule;

    @Mixin
    DistillOptionsMixin distill;

    @Override
    public Integer call() {
        // refuse an unusable --out before the search and the training, not after
        EditorBundle.checkWritable(new EditorBundle.Target(out, replace, force.force), edit);
        teacherOption.requireReady(prompt, force.force);
        SddBackend backend = Backends.bestForTraining();
        TrainingData data = dataOptions.open();
        DistillOptions o = distill.toOptions();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherOption.folder())) {
            TimestepSelection sel;
            if (timesteps != null && !timesteps.isEmpty()) {
                sel = TimestepSelection.fixed(prompt, timesteps);
            } else {
                sel = backend.newTimestepSelector().select(teacher, prompt, DataOptions.samples(data, 16),
                        SelectionOptions.defaults().withRule(SelectionRule.parse(rule)).withGuidanceOf(negativePrompt, o.sds()));
                System.out.print(org.sdd4j.examples.demo.Reports.hqsTable(sel));
            }
            try (Progress bar = new Progress("distill " + edit, o.totalSteps())) {
                backend.newDistiller().distill(new DistillRequest(edit, prompt, negativePrompt, teacher, data, sel, o, out, work, bar)
                        .withOutputPolicy(replace, force.force));
            }
        }
        System.out.println("edit '" + edit + "' written to " + out + " (manifest SHA-256 "
                + org.sdd4j.core.io.AtomicFiles.sha256(out.resolve("manifest.json")) + ")");
        return 0;
    }
}
