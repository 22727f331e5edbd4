package org.sdd4j.examples.cli;

import picocli.CommandLine.Option;

/** The one option that lets a command write its model files into a folder that holds other things. */
final class ForceOption {

    @Option(names = "--force", description = {"Write into --out even if it is a non-empty folder of another kind:"
        + " the model files are added beside its content, and nothing there is replaced or deleted. For distill:"
        + " also go on (with a warning) when the teacher's recorded evaluation for the prompt is missing or below"
        + " 80%% (the readiness gate)."})
    boolean force;
}
