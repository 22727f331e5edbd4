package org.sdd4j.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Messages;

/**
 * A training run's work folder (checkpoint, curves, previews). The library writes there only if the
 * folder is new, empty, or marked as one of its work folders, so that a mistyped option never makes a
 * run write over a user's files.
 */
public final class WorkFolder {

    /** The marker file that says "a work folder of this library". */
    public static final String MARKER = ".sdd-work";

    private WorkFolder() {}

    /**
     * Creates or reuses a work folder.
     *
     * @param dir the folder
     * @param option the command-line option that chooses it, for the message (e.g. {@code --work})
     * @return the folder
     * @throws IllegalArgumentException if the folder holds files and no marker
     */
    public static Path claim(Path dir, String option) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("work folder " + dir + " exists and is not a folder; choose"
                            + " another with " + option);
                }
                if (Files.exists(dir.resolve(MARKER))) {
                    return dir;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("work folder " + dir + " exists, is not empty and is not a"
                                + " work folder of sdd (no " + MARKER + " file); choose another with " + option);
                    }
                }
            }
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(MARKER))) {
                AtomicFiles.writeNew(dir.resolve(MARKER), out -> out.write(
                        "checkpoints and curves of an sdd training run\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not use work folder " + dir + ": " + Messages.describe(e), e);
        } catch (UncheckedIOException e) {
            if (Files.exists(dir.resolve(MARKER))) {
                return dir; // another run of ours marked it at the same moment
            }
            throw e;
        }
    }
}
