package org.sdd4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option that lets a command replace files it writes that already exist. */
final class OverwriteOption {

    @Option(names = "--overwrite", description = "Replace output files that already exist (default: refuse).")
    boolean overwrite;

    /** Refuses, before any work, if one of the command's output files exists and --overwrite is not given. */
    void check(Path... outputs) {
        if (overwrite) {
            return;
        }
        for (Path p : outputs) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(p + " already exists; pass --overwrite to replace it, or choose"
                        + " another --out (nothing was written)");
            }
        }
    }
}
