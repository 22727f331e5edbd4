package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sdd4j.core.oracle.OracleTrainer;
import org.sdd4j.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the attribute oracle that judges edits. */
@Command(name = "train-oracle", mixinStandardHelpOptions = true,
        description = "Train the FaceWorld attribute oracle (a CNN unlike the teacher) and report its held-out accuracy.")
final class TrainOracleCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = {"Oracle folder to write: new, empty, or an earlier"
        + " oracle (switched to the new one atomically; other files there are kept)."})
    Path out;

    @Mixin
    ForceOption force;

    @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).", defaultValue = "1500")
    int steps;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    long seed;

    @Override
    public Integer call() {
        OracleTrainer.Options d = OracleTrainer.Options.defaults();
        OracleTrainer.Options o = new OracleTrainer.Options(steps, d.batchSize(), d.learningRate(), d.resolution(), seed,
                d.trainWorldSeed(), d.heldOutWorldSeed(), d.heldOut());
        Map<String, Double> acc;
        try (NDManager m = Backends.bestForTraining().newManager(); Progress bar = new Progress("oracle", steps)) {
            acc = new OracleTrainer(o, bar).force(force.force).train(out, m);
        }
        System.out.println("held-out accuracy on " + o.heldOut() + " faces of world " + o.heldOutWorldSeed() + ":");
        acc.forEach((k, v) -> System.out.printf("  %-11s %.2f%%%n", k, 100 * v));
        System.out.println("oracle written to " + out);
        return 0;
    }
}
