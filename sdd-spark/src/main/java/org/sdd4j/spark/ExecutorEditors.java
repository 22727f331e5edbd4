package org.sdd4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sdd4j.api.Editor;

/**
 * The editors loaded in this JVM, one per bundle (by manifest SHA-256) and backend, shared by all task
 * threads of an executor (editors are thread-safe) and kept for the executor's lifetime.
 */
public final class ExecutorEditors {

    private static final Map<String, Editor> EDITORS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final Map<String, AtomicInteger> LOADS_BY_MANIFEST = new ConcurrentHashMap<>();

    private ExecutorEditors() {}

    /** The editor of a prepared source, loaded on first use (other threads wait for that load). */
    static Editor get(EditorSource source, String backend) {
        String key = source.manifestSha256() + "|" + (backend == null ? "" : backend);
        return EDITORS.computeIfAbsent(key, k -> {
            LOADS.incrementAndGet();
            LOADS_BY_MANIFEST.computeIfAbsent(source.manifestSha256(), x -> new AtomicInteger()).incrementAndGet();
            return backend == null ? Editor.load(source.localFolder()) : Editor.load(source.localFolder(), backend);
        });
    }

    /** How many editors this JVM has loaded so far (a figure for tests and the benchmark). */
    public static int loads() {
        return LOADS.get();
    }

    /** How many times this JVM has loaded the bundle with this manifest SHA-256. */
    public static int loads(String manifestSha256) {
        AtomicInteger n = LOADS_BY_MANIFEST.get(manifestSha256);
        return n == null ? 0 : n.get();
    }
}
