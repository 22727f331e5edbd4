package org.sdd4j.api;

import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.spi.Capabilities;

/** A test-only backend registered in the test class path's META-INF/services. */
public final class FakeBackend extends TestBackendBase {

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int rank() {
        return 7;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, Set.of("fake-format"));
    }

    @Override
    public String device() {
        return "cpu()";
    }
}
