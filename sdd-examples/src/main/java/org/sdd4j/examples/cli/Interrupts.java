package org.sdd4j.examples.cli;

import org.sdd4j.core.train.StopRequest;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM for the command line. During training the first signal asks the loop to stop
 * after its current step (it writes a checkpoint, frees native memory, and the command exits 130);
 * tearing the JVM down while libtorch is inside a backward pass crashed it. A second signal, or a
 * signal while no loop runs, exits at once with 130.
 */
final class Interrupts {

    /** The exit status of a run stopped by a signal (128 + SIGINT, as shells report Ctrl-C). */
    static final int EXIT_STOPPED = 130;

    private Interrupts() {}

    /** Installs the handlers (once, in the command-line process only). */
    static void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> onSignal());
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform or is taken by the JVM: keep the default
            }
        }
    }

    private static void onSignal() {
        if (StopRequest.anyActive() && !StopRequest.requested()) {
            System.err.println("\nstopping after the current step (signal again to stop at once) ...");
            StopRequest.request();
        } else {
            new Thread(() -> System.exit(EXIT_STOPPED), "sdd-exit").start();
        }
    }
}
