package org.sdd4j.api.spi;

import ai.djl.ndarray.NDManager;
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

    /** Whether the backend can run on this machine (its engine and natives load): no reason against it. */
    default boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why the backend is unavailable, if it is; empty exactly when it is available. */
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

    /**
     * A new root manager on this backend's engine and device, for callers that compute directly (the
     * oracle, metrics, the teacher and oracle trainers). The caller closes it.
     *
     * @throws UnsupportedOperationException if the backend offers none
     */
    NDManager newManager();

    /**
     * Exports an editor bundle in this backend's serving format.
     *
     * @param bundle the editor bundle
     * @param out the export folder (new, empty, or an earlier export of the same kind)
     * @param force allow a non-empty folder of another kind (its content is kept)
     * @return the export folder
     * @throws UnsupportedOperationException if this backend has no export format
     */
    default Path exportEditor(Path bundle, Path out, boolean force) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot export editors");
    }

    /**
     * Exports a teacher folder in this backend's serving format.
     *
     * @param teacher the teacher folder
     * @param out the export folder
     * @param force allow a non-empty folder of another kind (its content is kept)
     * @return the export folder
     * @throws UnsupportedOperationException if this backend has no export format
     */
    default Path exportTeacher(Path teacher, Path out, boolean force) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot export teachers");
    }

    /**
     * Sets the number of threads one operation may use, for the running process (for measurements;
     * users set it with the backend's documented properties).
     *
     * @param threads the count, >= 1
     * @return whether the backend has such a setting
     */
    default boolean setIntraOpThreads(int threads) {
        return false;
    }
}
