package org.sdd4j.api;

import java.util.Optional;
import org.sdd4j.api.spi.Capabilities;

/** A plug-in whose constructor fails, as one with a missing native library would. */
public final class UninstantiableBackend extends TestBackendBase {

    /** Fails. */
    public UninstantiableBackend() {
        throw new UnsatisfiedLinkError("no acme-jni in java.library.path");
    }

    @Override
    public String name() {
        return "never";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Capabilities capabilities() {
        return null;
    }

    @Override
    public String device() {
        return "none";
    }
}
