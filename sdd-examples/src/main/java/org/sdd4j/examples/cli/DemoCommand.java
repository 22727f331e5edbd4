package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.examples.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The main job of the README. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: with the embedded teacher and oracle, search timesteps (HQS), distil the edits,"
            + " edit held-out faces in one forward pass and write a report folder with index.html."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Report folder (default: ${DEFAULT-VALUE}).", defaultValue = "sdd-demo")
    Path out;

    @Option(names = "--edits", split = ",", description = "Edits to distil (default: ${DEFAULT-VALUE}).",
            defaultValue = "smiling,blond hair")
    List<String> edits;

    @Option(names = "--held-out", description = "Held-out faces per edit (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int heldOut;

    @Mixin
    TeacherOption teacherOption;

    @Option(names = "--oracle", description = "Oracle folder (default: the embedded oracle).")
    Path oracle;

    @Mixin
    DistillOptionsMixin distill;

    @Option(names = "--negative", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Guide away from a negative prompt (e.g. \"a frowning face\" for smiling) instead of the"
                + " empty prompt (default: ${DEFAULT-VALUE}).")
    boolean negative;

    @Option(names = "--recipe", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Distil each edit that has a measured FaceWorld recipe with it (\"blond hair\": the embedded"
                + " autoencoder prior, SDS, two-scale guidance; see the README) instead of the options given here;"
                + " --no-recipe uses the same options for every edit (default: ${DEFAULT-VALUE}). Only with the embedded"
                + " teacher.")
    boolean recipe;

    @Option(names = "--overwrite", description = "Replace the report and edits of an earlier demo run in --out.")
    boolean overwrite;

    @Override
    public Integer call() {
        DistillOptions base = distill.toOptions().toBuilder().checkpointEvery(100).previewEvery(0).build();
        Demo.run(new Demo.Options(edits, base.steps(), heldOut, out, base, teacherOption.teacher, oracle, negative, overwrite,
                recipe),
                (name, total) -> new Progress(name, total), System.out);
        System.out.println("report: " + out.resolve("index.html").toAbsolutePath());
        System.out.println("editor bundle: " + out.resolve("editor").toAbsolutePath() + "; try: ./sdd edit --editor "
                + out.resolve("editor") + " --edit smiling face.png --out edited/");
        return 0;
    }
}
