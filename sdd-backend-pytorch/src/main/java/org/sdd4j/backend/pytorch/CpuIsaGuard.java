package org.sdd4j.backend.pytorch;

import org.sdd4j.core.io.ProcessEnvironment;

/**
 * Caps oneDNN (libtorch's CPU convolution library) at SSE4.1 unless the user chose an ISA.
 *
 * <p>Measured on the AVX-512 build machines (AMD EPYC, libtorch 2.7.1 through DJL 0.36): with
 * oneDNN's AVX-512 kernels a 3x3 convolution with 24 input channels on 8x8 inputs is wrong (max
 * error 11 against a direct summation, forward and input gradient) and some calls return NaN (for
 * example call 84 of 3000 identical calls). Capped at AVX2 the single convolutions are right, but a
 * teacher training run still turned NaN at random (3 of 4 runs within 25 steps); capped at SSE4.1
 * every run was identical and finite, at about 25% lower throughput. oneDNN reads the variable
 * lazily, on its first kernel, so setting it in this process before the first convolution is enough.
 *
 * <p>Set {@code ONEDNN_MAX_CPU_ISA} yourself, or the system property {@code sdd.onednn.isa} (for
 * example {@code ALL} to let oneDNN choose), to override.
 */
final class CpuIsaGuard {

    static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    static final String PROPERTY = "sdd.onednn.isa";
    static final String DEFAULT_ISA = "SSE41";
    /** libtorch's log level; set to ERROR (unless the user chose one) to silence per-thread NNPACK warnings. */
    static final String LOG_VARIABLE = "TORCH_CPP_LOG_LEVEL";

    private static volatile String applied;

    private CpuIsaGuard() {}

    /**
     * libtorch warns "Could not initialize NNPACK! Reason: Unsupported hardware." once per worker
     * thread on CPUs NNPACK does not support; the warning is harmless (other kernels are used) but
     * floods the terminal. c10 reads the level when the library loads, so this must run before it.
     */
    private static void quietLogs() {
        if (System.getenv(LOG_VARIABLE) != null) {
            return;
        }
        try {
            ProcessEnvironment.setIfAbsent(LOG_VARIABLE, "ERROR");
        } catch (IllegalStateException e) {
            // only cosmetic: the warnings stay
        }
    }

    /** Sets the cap once per process; returns the ISA in force (null if left to oneDNN). */
    static synchronized String apply() {
        if (applied != null) {
            return applied;
        }
        quietLogs();
        String fromEnv = System.getenv(VARIABLE);
        if (fromEnv != null) {
            applied = fromEnv;
            return applied;
        }
        String isa = System.getProperty(PROPERTY, DEFAULT_ISA);
        try {
            ProcessEnvironment.setIfAbsent(VARIABLE, isa);
            applied = isa;
        } catch (IllegalStateException e) {
            applied = "unset (" + e.getMessage() + "); set " + VARIABLE + "=" + isa + " in the environment";
        }
        return applied;
    }
}
