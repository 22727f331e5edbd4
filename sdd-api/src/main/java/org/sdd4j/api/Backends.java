package org.sdd4j.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.sdd4j.api.spi.SddBackend;

/** Finds compute backends on the class path through {@link ServiceLoader}. */
public final class Backends {

    private Backends() {}

    /** Every backend on the class path, available or not, highest rank first. */
    public static List<SddBackend> all() {
        return all(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Every backend visible to a class loader, highest rank first.
     *
     * @param loader the class loader to search (null = the system class loader)
     * @return the backends
     */
    public static List<SddBackend> all(ClassLoader loader) {
        List<SddBackend> found = new ArrayList<>();
        ServiceLoader.load(SddBackend.class, loader).forEach(found::add);
        found.sort(Comparator.comparingInt(SddBackend::rank).reversed().thenComparing(SddBackend::name));
        return List.copyOf(found);
    }

    /** The available backends, highest rank first. */
    public static List<SddBackend> available() {
        return all().stream().filter(SddBackend::isAvailable).toList();
    }

    /** Names of every backend on the class path. */
    public static List<String> names() {
        return all().stream().map(SddBackend::name).toList();
    }

    /**
     * The highest-ranked available backend.
     *
     * @throws IllegalStateException if none is available, with each backend's reason
     */
    public static SddBackend best() {
        return pick(all(), false);
    }

    /**
     * The highest-ranked available backend that can train.
     *
     * @throws IllegalStateException if none can, with each backend's reason
     */
    public static SddBackend bestForTraining() {
        return pick(all(), true);
    }

    static SddBackend pick(List<SddBackend> candidates, boolean needTraining) {
        for (SddBackend b : candidates) {
            if (b.isAvailable() && (!needTraining || b.capabilities().training())) {
                return b;
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no SDD backend on the class path; add one, for example the artifact"
                    + " org.sdd4j:sdd-backend-pytorch");
        }
        String why = candidates.stream()
                .map(b -> b.name() + ": " + (b.isAvailable()
                        ? "available but cannot train"
                        : b.unavailableReason().orElse("unavailable")))
                .collect(Collectors.joining("; "));
        throw new IllegalStateException("no " + (needTraining ? "training-capable " : "")
                + "SDD backend is available (" + why + ")");
    }

    /**
     * The backend with a name (case-insensitive).
     *
     * @param name for example {@code pytorch}
     * @return the backend, which may still be unavailable
     * @throws IllegalArgumentException if there is none, listing the backends there are
     */
    public static SddBackend get(String name) {
        return get(name, all());
    }

    static SddBackend get(String name, List<SddBackend> candidates) {
        for (SddBackend b : candidates) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available backends: "
                + candidates.stream().map(SddBackend::name).toList());
    }
}
