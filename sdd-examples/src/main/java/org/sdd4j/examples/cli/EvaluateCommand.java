package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.core.eval.Comparison;
import org.sdd4j.examples.demo.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** SDD vs SDEdit and the timestep ablation on held-out faces. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure the paper's claims on held-out faces: SDD with HQS-selected timesteps vs random,"
            + " fixed and minimum-entropy timesteps, and vs SDEdit at several strengths, with the same teacher,"
            + " judged by the oracle. Writes results.md, results.json, trade-off plots and grids.",
            "Full run: about 40 minutes on 2 cores; --quick: under 10 minutes."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "sdd-evaluation")
    Path out;

    @Option(names = "--edits", split = ",", description = "Edits (default: ${DEFAULT-VALUE}).",
            defaultValue = "smiling,blond hair")
    List<String> edits;

    @Option(names = "--faces", description = "Held-out faces per edit (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int faces;

    @Option(names = "--held-out-world", description = "FaceWorld seed of the held-out faces (default: ${DEFAULT-VALUE};"
            + " another seed gives a second look at settings chosen on the default one; never the training world, 1).")
    long heldOutWorld = org.sdd4j.core.eval.HeldOut.HELD_OUT_WORLD;

    @Option(names = "--strengths", split = ",", description = "SDEdit strengths (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.2,0.4,0.6,0.8")
    List<Double> strengths;

    @Option(names = "--sdedit-steps", description = "SDEdit DDIM steps over the full range (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "50")
    int sdeditSteps;

    @Option(names = "--sdedit-guidance", description = "SDEdit CFG scale (default: ${DEFAULT-VALUE}).",
            defaultValue = "7.5")
    float sdeditGuidance;

    @Option(names = "--fixed-t", split = ",", description = "Fixed-timestep SDD rows (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    List<Integer> fixed;

    @Option(names = "--variants", split = ",", description = {"Guidance rows with HQS-selected timesteps, as"
        + " OBJECTIVE:SCALE (e.g. DDS:30), 'all' (SDS, DDS, NFSD at 7.5, 30, 100) or 'none' (default:"
        + " ${DEFAULT-VALUE}). The variant closest to the counterfactuals is also run with random timesteps."},
            defaultValue = "all")
    List<String> variants;

    @Option(names = "--cost-images", description = "m of the cost model: time to edit m images including SDD's"
            + " search and training (default: ${DEFAULT-VALUE}, as in the paper).", defaultValue = "100")
    int costImages;

    @Option(names = "--quick", description = "Smoke run: 32 faces, 100 distillation steps, 20 SDEdit steps.")
    boolean quick;

    @Mixin
    TeacherOption teacherOption;

    @Option(names = "--oracle", description = "Oracle folder (default: the embedded oracle).")
    Path oracle;

    @Mixin
    DistillOptionsMixin distill;

    @Option(names = "--negative", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Guide SDD and SDEdit away from each edit's negative prompt (default: ${DEFAULT-VALUE}).")
    boolean negative;

    static List<Comparison.Variant> parseVariants(List<String> specs) {
        if (specs.size() == 1 && specs.get(0).equalsIgnoreCase("all")) {
            return Comparison.Variant.all();
        }
        if (specs.size() == 1 && specs.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Comparison.Variant> out = new java.util.ArrayList<>();
        for (String spec : specs) {
            String[] p = spec.split(":");
            try {
                out.add(new Comparison.Variant(org.sdd4j.api.GuidanceObjective.valueOf(p[0].trim().toUpperCase(
                        java.util.Locale.ROOT)), Float.parseFloat(p[1])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--variants: expected OBJECTIVE:SCALE with OBJECTIVE one of "
                        + java.util.Arrays.toString(org.sdd4j.api.GuidanceObjective.values()) + ", got '" + spec + "'", e);
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        DistillOptions d = distill.toOptions().toBuilder().checkpointEvery(100).previewEvery(0)
                .steps(quick ? Math.min(100, distill.steps) : distill.steps).build();
        Comparison.Options protocol = new Comparison.Options(quick ? Math.min(32, faces) : faces, d, strengths,
                quick ? Math.min(20, sdeditSteps) : sdeditSteps, sdeditGuidance, fixed, costImages, negative,
                parseVariants(variants), heldOutWorld);
        Evaluation.Options o = new Evaluation.Options(edits, protocol, out, teacherOption.teacher, oracle);
        long t0 = System.nanoTime();
        List<Comparison.Row> rows = Evaluation.run(o, (name, total) -> new Progress(name, total), System.out);
        System.out.println();
        System.out.print(Evaluation.table(rows, costImages));
        System.out.printf("total %.0f s; results in %s%n", (System.nanoTime() - t0) / 1e9,
                out.resolve("results.md").toAbsolutePath());
        return 0;
    }
}
