package org.sdd4j.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a path named in a manifest or data list inside its folder: relative, normalised, and not
 * leading out through {@code ..} or a symbolic link. A manifest is data from wherever the folder came
 * from; it must not make the library read (or reveal anything about) files elsewhere.
 */
public final class Confined {

    private Confined() {}

    /**
     * @param folder the folder the path belongs to
     * @param relative the path as written in the manifest or list
     * @param what what the folder is, for messages
     * @return the resolved path (it may not exist)
     * @throws IllegalArgumentException if the path is absolute or leads out of the folder
     */
    public static Path resolve(Path folder, String relative, String what) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException(what + " " + folder + " names an empty path");
        }
        Path rel;
        try {
            rel = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " " + folder + " names an invalid path '" + relative + "'", e);
        }
        Path base = folder.toAbsolutePath().normalize();
        Path p = base.resolve(rel).normalize();
        if (rel.isAbsolute() || !p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException(what + " " + folder + " names '" + relative
                    + "', which is outside its folder; paths in it must stay inside the folder");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (!p.toRealPath().startsWith(base.toRealPath())) {
                    throw new IllegalArgumentException(what + " " + folder + " names '" + relative
                            + "', which is a link out of its folder; paths in it must stay inside the folder");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " " + folder + " names '" + relative
                        + "', which cannot be resolved (" + Messages.describe(e) + ")", e);
            }
        }
        return p;
    }
}
