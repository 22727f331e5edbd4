package org.sdd4j.api;

import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.spi.Capabilities;

/**
 * A plug-in ranked highest that throws from the SPI method named by the system property
 * {@code sdd.test.throw}. It is unavailable unless that method is one only asked of available backends
 * (capabilities, device).
 */
public final class ThrowingBackend extends TestBackendBase {

    static final String PROPERTY = "sdd.test.throw";

    private static void maybeThrow(String method) {
        if (method.equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException("acme driver crashed in " + method);
        }
    }

    @Override
    public String name() {
        maybeThrow("name");
        return "acme";
    }

    @Override
    public int rank() {
        maybeThrow("rank");
        return 1000;
    }

    @Override
    public boolean isAvailable() {
        maybeThrow("isAvailable");
        String p = System.getProperty(PROPERTY);
        return "capabilities".equals(p) || "device".equals(p);
    }

    @Override
    public Optional<String> unavailableReason() {
        maybeThrow("unavailableReason");
        return isAvailable() ? Optional.empty() : Optional.of("acme hardware absent");
    }

    @Override
    public Capabilities capabilities() {
        maybeThrow("capabilities");
        return new Capabilities(false, false, Set.of());
    }

    @Override
    public String device() {
        maybeThrow("device");
        return "acme(0)";
    }
}
