package org.sdd4j.api;

import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.spi.Capabilities;

/** A test-only backend that ranks highest but is unavailable. */
public final class UnavailableFakeBackend extends TestBackendBase {

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
}
