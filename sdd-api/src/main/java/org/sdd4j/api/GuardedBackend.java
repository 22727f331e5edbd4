package org.sdd4j.api;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/**
 * A discovered backend as {@link Backends} hands it out: any exception or error from the plug-in's
 * name, rank, availability, reason, capabilities or device makes it "unavailable" with that reason,
 * logged once, so a broken plug-in never hides or breaks the others. The factories are delegated as
 * they are (a caller checks availability first).
 */
final class GuardedBackend implements SddBackend {

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    /** Backends whose failure was already logged: discovery runs often, a warning is said once per process. */
    private static final java.util.Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final SddBackend delegate;
    private final String name;
    private final int rank;
    private volatile Optional<String> failure;

    private GuardedBackend(SddBackend delegate, String name, int rank, String failure) {
        this.delegate = delegate;
        this.name = name;
        this.rank = rank;
        this.failure = failure == null ? null : Optional.of(failure);
        if (failure != null) {
            warnOnce(name, failure);
        }
    }

    /** Wraps a provider, reading its name and rank once. */
    static SddBackend of(SddBackend b) {
        String n;
        try {
            n = b.name();
            if (n == null || n.isBlank()) {
                return broken(b.getClass().getName(), "its name() is empty");
            }
        } catch (Throwable e) {
            return broken(b.getClass().getName(), "name() failed: " + describe(e));
        }
        int r;
        try {
            r = b.rank();
        } catch (Throwable e) {
            return new GuardedBackend(b, n, Integer.MIN_VALUE, "rank() failed: " + describe(e));
        }
        return new GuardedBackend(b, n, r, null);
    }

    /** A placeholder for a provider that could not even be created. */
    static SddBackend broken(String name, String reason) {
        return new GuardedBackend(null, name, Integer.MIN_VALUE, reason);
    }

    private static void warnOnce(String backend, String reason) {
        if (LOGGED.add(backend + "|" + reason)) {
            LOG.log(System.Logger.Level.WARNING, "SDD backend " + backend + " is unavailable: " + reason);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public Optional<String> unavailableReason() {
        Optional<String> f = failure;
        if (f == null) {
            try {
                if (delegate.isAvailable()) {
                    // an available backend must also be able to say what it can do
                    try {
                        f = delegate.capabilities() == null ? Optional.of("capabilities() returned nothing")
                                : Optional.empty();
                    } catch (Throwable e) {
                        f = Optional.of("capabilities() failed: " + describe(e));
                    }
                } else {
                    Optional<String> why;
                    try {
                        why = delegate.unavailableReason();
                    } catch (Throwable e) {
                        why = Optional.of("unavailableReason() failed: " + describe(e));
                    }
                    f = Optional.of(why == null || why.isEmpty() ? "unavailable (no reason given)" : why.get());
                }
            } catch (Throwable e) {
                f = Optional.of("isAvailable() failed: " + describe(e));
                warnOnce(name, f.get());
            }
            failure = f;
        }
        return f;
    }

    @Override
    public Capabilities capabilities() {
        if (!isAvailable()) {
            throw new IllegalStateException("backend " + name + " is unavailable: " + unavailableReason().get());
        }
        try {
            return delegate.capabilities();
        } catch (RuntimeException | Error e) {
            failure = Optional.of("capabilities() failed: " + describe(e));
            throw new IllegalStateException("backend " + name + " is unavailable: " + failure.get(), e);
        }
    }

    @Override
    public String device() {
        if (!isAvailable()) {
            return "none";
        }
        try {
            return delegate.device();
        } catch (Throwable e) {
            return "unknown (" + describe(e) + ")";
        }
    }

    private SddBackend live() {
        unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("backend " + name + " is unavailable: " + r);
        });
        return delegate;
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        return live().loadTeacher(folder);
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        return live().newTimestepSelector();
    }

    @Override
    public Distiller newDistiller() {
        return live().newDistiller();
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
    public Path exportEditor(Path bundle, Path out, boolean force) {
        return live().exportEditor(bundle, out, force);
    }

    @Override
    public Path exportTeacher(Path teacher, Path out, boolean force) {
        return live().exportTeacher(teacher, out, force);
    }

    @Override
    public boolean setIntraOpThreads(int threads) {
        return live().setIntraOpThreads(threads);
    }

    @Override
    public String toString() {
        return "backend " + name;
    }
}
