package org.sdd4j.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/** A test-only backend that ranks highest but is unavailable. */
public final class UnavailableFakeBackend implements SddBackend {

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public int rank() {
        return 1000;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of("natives missing");
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, false, Set.of());
    }

    @Override
    public String device() {
        return "none";
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Distiller newDistiller() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Editor loadEditor(Path bundle) {
        throw new UnsupportedOperationException();
    }
}
