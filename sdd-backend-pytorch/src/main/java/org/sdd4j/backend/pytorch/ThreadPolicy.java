package org.sdd4j.backend.pytorch;

import ai.djl.pytorch.jni.JniUtils;

/**
 * How many threads libtorch uses. libtorch's default (one OpenMP thread per core, spinning while it
 * waits) oversubscribes a CPU that anything else uses: next to one busy process on two cores, single
 * edits went from about 4 ms to 27-346 ms and teacher training from 1.9 to 0.1-0.2 steps/s. The
 * library therefore sets, unless the user already decided:
 * <ul>
 *   <li>intra-op threads: {@code sdd.threads} (system property) or {@code SDD_THREADS}; else one per core
 *       when {@code OMP_WAIT_POLICY} is {@code PASSIVE} (waiting threads sleep instead of spinning, so a
 *       competing process costs them little; the {@code sdd} launcher sets it); else 1;</li>
 *   <li>inter-op threads: 1.</li>
 * </ul>
 * With one thread, parallelism comes from the caller (batches, request threads, Spark tasks), which degrades
 * in proportion when the CPU is shared. The user decides by setting DJL's own
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}, or
 * {@code OMP_NUM_THREADS}; then this policy does nothing. Measured in {@code sdd bench --threads}.
 */
public final class ThreadPolicy {

    /** DJL's property for intra-op threads. */
    static final String DJL_THREADS = "ai.djl.pytorch.num_threads";
    /** DJL's property for inter-op threads. */
    static final String DJL_INTEROP = "ai.djl.pytorch.num_interop_threads";

    private ThreadPolicy() {}

    /** Sets DJL's properties before the engine starts, unless the user set them or OMP_NUM_THREADS. */
    static void apply() {
        if (System.getenv("OMP_NUM_THREADS") != null) {
            return;
        }
        if (System.getProperty(DJL_THREADS) == null) {
            System.setProperty(DJL_THREADS, Integer.toString(configured()));
        }
        if (System.getProperty(DJL_INTEROP) == null) {
            System.setProperty(DJL_INTEROP, "1");
        }
    }

    /** The intra-op thread count of this process's settings (see the class comment). */
    static int configured() {
        return configured(System.getProperty("sdd.threads", System.getenv("SDD_THREADS")),
                System.getenv("OMP_WAIT_POLICY"), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The intra-op thread count: {@code asked} ({@code sdd.threads} / {@code SDD_THREADS}) when given, else
     * {@code cores} when the OpenMP wait policy is passive, else 1.
     *
     * @throws IllegalArgumentException for an asked count that is not a whole number >= 1
     */
    static int configured(String asked, String waitPolicy, int cores) {
        if (asked == null || asked.isBlank()) {
            return waitPolicy != null && waitPolicy.strip().equalsIgnoreCase("passive") ? Math.max(1, cores) : 1;
        }
        try {
            int n = Integer.parseInt(asked.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sdd.threads / SDD_THREADS must be a whole number >= 1, got '" + asked + "'",
                    e);
        }
    }

    /** The intra-op threads libtorch uses now (after the engine started). */
    public static int intraOpThreads() {
        PyTorchBackend.engine();
        return JniUtils.getNumThreads();
    }

    /** Changes the intra-op threads of the running engine (for measurements; prefer the properties). */
    public static void setIntraOpThreads(int n) {
        PyTorchBackend.engine();
        JniUtils.setNumThreads(n);
    }
}
