package org.sdd4j.api.spi;

import java.util.Set;

/**
 * What a backend can do.
 *
 * @param training whether it can train (distil manipulators, train teachers)
 * @param gpu whether it computes on a GPU on this machine
 * @param teacherFormats the teacher folder formats it loads, for example {@code sdd-unet}
 */
public record Capabilities(boolean training, boolean gpu, Set<String> teacherFormats) {
    /** Copies the set. */
    public Capabilities {
        teacherFormats = Set.copyOf(teacherFormats);
    }
}
