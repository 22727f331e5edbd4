package org.sdd4j.api.spi;

import java.nio.file.Path;
import java.util.Optional;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;

/**
 * A compute backend, found with {@link java.util.ServiceLoader}. Implementations must have a public
 * no-argument constructor that does no heavy work: engine start-up belongs in {@link #isAvailable()}
 * or the factories.
 */
public interface SddBackend {

    /** A unique, lower-case name, for example {@code pytorch}. */
    String name();

    /** Preference among available backends; the highest rank wins {@link org.sdd4j.api.Backends#best()}. */
    int rank();

    /** Whether the backend can run on this machine (its engine and natives load). */
    boolean isAvailable();

    /** Why the backend is unavailable, if it is. */
    Optional<String> unavailableReason();

    /** What the backend can do; meaningful when available. */
    Capabilities capabilities();

    /** The device it computes on, for example {@code cpu()} or {@code gpu(0)}. */
    String device();

    /**
     * Loads a teacher folder.
     *
     * @param folder a teacher folder (manifest.json and weights)
     * @return the teacher
     */
    DiffusionTeacher loadTeacher(Path folder);

    /** A timestep selector computing on this backend. */
    TimestepSelector newTimestepSelector();

    /**
     * A distiller training on this backend.
     *
     * @throws UnsupportedOperationException if the backend cannot train, saying which backend can
     */
    Distiller newDistiller();

    /**
     * Loads an editor bundle.
     *
     * @param bundle the bundle folder
     * @return the editor
     */
    Editor loadEditor(Path bundle);
}
