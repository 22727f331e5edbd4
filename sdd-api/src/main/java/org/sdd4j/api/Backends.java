package org.sdd4j.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
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
        Iterator<SddBackend> it = ServiceLoader.load(SddBackend.class, loader).iterator();
        // a provider that cannot be loaded or created is listed as unavailable; the others are still found
        for (int guard = 0; guard < 10_000; guard++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(GuardedBackend.of(it.next()));
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(GuardedBackend.broken(providerName(e), "could not be created: "
                        + GuardedBackend.describe(e.getCause() != null ? e.getCause() : e)));
            }
        }
        found.sort(Comparator.comparingInt(SddBackend::rank).reversed().thenComparing(SddBackend::name));
        return List.copyOf(found);
    }

    /** The provider class a ServiceLoader error names, or a placeholder. */
    private static String providerName(Throwable e) {
        String m = String.valueOf(e.getMessage());
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("Provider ([\\w.$]+)").matcher(m);
        return match.find() ? match.group(1) : "unknown provider";
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
            if (b.isAvailable() && (!needTraining || trains(b))) {
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

    private static boolean trains(SddBackend b) {
        try {
            return b.capabilities().training();
        } catch (RuntimeException e) {
            return false;
        }
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
