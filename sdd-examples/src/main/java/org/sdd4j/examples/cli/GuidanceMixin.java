package org.sdd4j.examples.cli;

import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.SdsOptions;
import picocli.CommandLine.Option;

/** The guidance options shared by `search`, `distill`, `demo` and `evaluate`, so a search and its distillation agree. */
final class GuidanceMixin {

    private static final SdsOptions DEFAULTS = org.sdd4j.api.DistillOptions.defaults().sds();

    @Option(names = "--guidance", description = "CFG scale of the guidance gradient (default: ${DEFAULT-VALUE}, paper"
            + " code).")
    float scale = DEFAULTS.guidanceScale();

    @Option(names = "--objective", description = "Guidance objective: ${COMPLETION-CANDIDATES} (default:"
            + " ${DEFAULT-VALUE}).")
    GuidanceObjective objective = DEFAULTS.objective();

    @Option(names = "--source-prompt", description = "DDS only: the prompt describing the unedited images (default:"
            + " the negative prompt).")
    String sourcePrompt = "";

    @Option(names = "--top-k", description = "Fraction of the guidance gradient's entries kept per image, the largest"
            + " (0: all; default: ${DEFAULT-VALUE}, 1/16 as in the paper code).")
    double topK = DEFAULTS.topKFraction();

    @Option(names = "--low-noise-guidance", description = "Two-scale guidance: below t = 300 guide with this lower"
            + " CFG scale (its gradient scaled up to weigh like the main one) and train at t = 150, 200, 250 as well;"
            + " 0: off (default: ${DEFAULT-VALUE}). 15, with --manipulator masked-ae-latent --objective SDS"
            + " --mask-weight 0.2, brings \"blond hair\" to its targets (README).")
    float lowNoiseGuidance = DEFAULTS.lowNoiseGuidance();

    /** The base options with these set. */
    SdsOptions apply(SdsOptions base) {
        if (!(topK >= 0 && topK <= 1)) {
            throw new IllegalArgumentException("--top-k must be in [0, 1] (0 keeps the whole gradient), got " + topK);
        }
        return base.withGuidanceScale(scale).withObjective(objective).withSourcePrompt(sourcePrompt)
                .withTopKFraction(topK).withLowNoiseGuidance(lowNoiseGuidance);
    }
}
