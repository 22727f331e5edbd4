package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/** A third-party plug-in on the test class path, ranked above everything, whose driver crashes. */
public final class CrashingPluginBackend implements SddBackend {

    @Override
    public String name() {
        return "acme";
    }

    @Override
    public int rank() {
        return 1000;
    }

    @Override
    public boolean isAvailable() {
        throw new IllegalStateException("acme driver crashed");
    }

    @Override
    public Optional<String> unavailableReason() {
        throw new IllegalStateException("acme driver crashed");
    }

    @Override
    public Capabilities capabilities() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String device() {
        throw new UnsupportedOperationException();
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

    @Override
    public NDManager newManager() {
        throw new UnsupportedOperationException();
    }
}
