package org.sdd4j.api;

import java.nio.file.Path;
import org.sdd4j.api.spi.SddBackend;

/** Factories shared by the test-only backends: they are never asked to compute. */
abstract class TestBackendBase implements SddBackend {

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        throw new UnsupportedOperationException(name() + " loads no teachers");
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        throw new UnsupportedOperationException(name() + " selects no timesteps");
    }

    @Override
    public Distiller newDistiller() {
        throw new UnsupportedOperationException(name() + " cannot train");
    }

    @Override
    public ai.djl.ndarray.NDManager newManager() {
        throw new UnsupportedOperationException(name() + " has no engine");
    }

    @Override
    public Editor loadEditor(Path bundle) {
        throw new UnsupportedOperationException(name() + " loads no editors");
    }
}
