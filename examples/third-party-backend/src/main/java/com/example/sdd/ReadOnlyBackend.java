package com.example.sdd;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/**
 * An inference-only backend: it edits with whatever backend named "pytorch" is installed and refuses
 * everything that trains. It shows the contract in about fifty lines: a lower-case name, a rank, honest
 * availability with a reason, capabilities that say what it does, and clear refusals.
 */
public final class ReadOnlyBackend implements SddBackend {

    private Optional<SddBackend> engine() {
        try {
            SddBackend b = Backends.get("pytorch");
            return b.isAvailable() ? Optional.of(b) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "readonly";
    }

    @Override
    public int rank() {
        return 10; // below the built-in backends: chosen only by name
    }

    @Override
    public boolean isAvailable() {
        return engine().isPresent();
    }

    @Override
    public Optional<String> unavailableReason() {
        return isAvailable() ? Optional.empty() : Optional.of("needs the pytorch backend on the class path");
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, Set.of());
    }

    @Override
    public String device() {
        return engine().map(SddBackend::device).orElse("none");
    }

    private SddBackend live() {
        return engine().orElseThrow(() -> new IllegalStateException("the readonly backend is unavailable: "
                + unavailableReason().orElse("")));
    }

    @Override
    public Editor loadEditor(Path bundle) {
        return live().loadEditor(bundle);
    }

    @Override
    public NDManager newManager() {
        return live().newManager();
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        throw new UnsupportedOperationException("the readonly backend loads no teachers; use the pytorch backend");
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        throw new UnsupportedOperationException("the readonly backend does not search timesteps; use pytorch");
    }

    @Override
    public Distiller newDistiller() {
        throw new UnsupportedOperationException("the readonly backend cannot train; distil with the pytorch backend");
    }
}
