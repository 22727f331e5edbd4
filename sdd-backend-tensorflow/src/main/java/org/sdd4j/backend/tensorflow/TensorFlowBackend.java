package org.sdd4j.backend.tensorflow;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/**
 * The TensorFlow backend (inference of exported SavedModels). Not implemented in this release: it
 * registers itself so that it is listed, and reports itself unavailable with the reason.
 */
public final class TensorFlowBackend implements SddBackend {

    static final String REASON = "not implemented in this release (SavedModel export and inference are planned);"
            + " use the pytorch backend";

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public TensorFlowBackend() {}

    @Override
    public String name() {
        return "tensorflow";
    }

    @Override
    public int rank() {
        return 50;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(REASON);
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, Set.of());
    }

    @Override
    public String device() {
        return "none";
    }

    private static UnsupportedOperationException unavailable() {
        return new UnsupportedOperationException("the tensorflow backend is " + REASON);
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        throw unavailable();
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        throw unavailable();
    }

    @Override
    public Distiller newDistiller() {
        throw new UnsupportedOperationException("the tensorflow backend cannot train (DJL's TensorFlow engine has no"
                + " training support); train on the pytorch backend");
    }

    @Override
    public Editor loadEditor(Path bundle) {
        throw unavailable();
    }
}
