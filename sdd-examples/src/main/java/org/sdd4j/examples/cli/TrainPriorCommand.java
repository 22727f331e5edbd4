package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import ai.djl.ndarray.NDManager;
import org.sdd4j.core.manipulator.PriorTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the autoencoder prior that the ae-latent manipulator edits in. */
@Command(name = "train-prior", mixinStandardHelpOptions = true,
        description = {"Train a small autoencoder on the data's images (FaceWorld by default): the prior the"
            + " ae-latent manipulator edits in (`sdd distill --manipulator ae-latent --prior DIR`). Reports the PSNR"
            + " of its reconstructions of held-out images."})
final class TrainPriorCommand implements Callable<Integer> {

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", required = true, description = "Prior folder to write.")
    Path out;

    @Option(names = "--steps", description = "Steps (default: ${DEFAULT-VALUE}).", defaultValue = "4000")
    int steps;

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.002")
    float lr;

    @Mixin
    ForceOption force;

    @Override
    public Integer call() {
        DataOptions.Split split = dataOptions.trainAndHeldOut(dataOptions.resolution());
        PriorTrainer.Options o = new PriorTrainer.Options(steps, batch, lr, dataOptions.resolution(), 3);
        double psnr;
        try (NDManager m = Backends.bestForTraining().newManager(); Progress bar = new Progress("prior", steps)) {
            psnr = PriorTrainer.train(split.train(), split.heldOut(), o, out, m, bar, force.force);
        }
        System.out.printf("prior written to %s; reconstruction PSNR %.1f dB on %s%n", out, psnr,
                split.heldOut().describe());
        return 0;
    }
}
