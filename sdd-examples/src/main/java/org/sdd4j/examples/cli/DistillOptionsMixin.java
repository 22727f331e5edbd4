package org.sdd4j.examples.cli;

import org.sdd4j.api.DistillOptions;
import picocli.CommandLine.Option;

/** The distillation options shared by `distill` and `demo`. */
final class DistillOptionsMixin {

    @Option(names = "--steps", description = "Distillation steps per edit (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int steps;

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int batch;

    @Option(names = "--lr", description = "AdamW learning rate (default: ${DEFAULT-VALUE}, paper code).",
            defaultValue = "0.005")
    float lr;

    @Option(names = "--pixel-weight", description = "Pixel L2 weight (default: ${DEFAULT-VALUE}).", defaultValue = "2.0")
    float pixelWeight;

    @Option(names = "--identity-weight", description = "Identity feature weight (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.5")
    float identityWeight;

    @Option(names = "--guidance", description = "CFG scale of the SDS gradient (default: ${DEFAULT-VALUE}, paper code).",
            defaultValue = "100")
    float guidance;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    DistillOptions toOptions() {
        DistillOptions base = DistillOptions.defaults();
        return base.toBuilder().steps(steps).batchSize(batch).learningRate(lr).pixelWeight(pixelWeight)
                .identityWeight(identityWeight).sds(base.sds().withGuidanceScale(guidance)).seed(seed).build();
    }
}
