package org.sdd4j.core.train;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request, from a signal handler or another thread, that long work stop at the next safe point.
 * Training loops check it after each step: they write a checkpoint, release their native memory and
 * throw {@link TrainingStoppedException}, instead of being torn down by the JVM while libtorch is in
 * the middle of a backward pass (which crashed the process).
 */
public final class StopRequest {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    /** Loops running now that honour requests. */
    static final java.util.concurrent.atomic.AtomicInteger ACTIVE_LOOPS = new java.util.concurrent.atomic.AtomicInteger();

    private StopRequest() {}

    /** Asks running loops to stop after their current step. */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Whether a stop was requested. */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Whether a loop that honours requests is running now. */
    public static boolean anyActive() {
        return ACTIVE_LOOPS.get() > 0;
    }

    /** Clears the request (tests, or a process that goes on with other work). */
    public static void clear() {
        REQUESTED.set(false);
    }
}
