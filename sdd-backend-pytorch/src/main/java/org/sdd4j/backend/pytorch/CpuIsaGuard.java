package org.sdd4j.backend.pytorch;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** c10's warning threshold, {@code FLAGS_caffe2_log_level}: 1 warnings, 2 errors only. */
    static final String LOG_FLAG = "FLAGS_caffe2_log_level";
    static final int ERRORS_ONLY = 2;

    private static volatile boolean quieted;

    /**
     * The same quiet for a libtorch already loaded: this libtorch prints the NNPACK warning through c10's logging
     * without reading {@value #LOG_VARIABLE} (measured: 20 lines per `sdd edit` on AMD EPYC whatever the variable
     * says), so its threshold is raised in the loaded library, unless the user set the variable. Only cosmetic: a
     * library that cannot be reached keeps its warnings.
     */
    static void quietLoadedLibtorch() {
        if (quieted) {
            return;
        }
        quieted = true;
        if (System.getenv(LOG_VARIABLE) != null) {
            return;
        }
        Pointer flag = logFlag();
        if (flag != null && flag.getInt(0) < ERRORS_ONLY) {
            flag.setInt(0, ERRORS_ONLY);
        }
    }

    /** c10's current warning threshold in this process, or -1 if libc10 is not loaded or has no such flag. */
    static int libtorchLogLevel() {
        Pointer flag = logFlag();
        return flag == null ? -1 : flag.getInt(0);
    }

    private static Pointer logFlag() {
        try {
            Path c10 = loadedLibrary("libc10.");
            return c10 == null ? null : NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(LOG_FLAG);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** The path of a shared library this process has loaded whose file name starts with {@code prefix} (Linux). */
    private static Path loadedLibrary(String prefix) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        try (java.util.stream.Stream<String> lines = Files.lines(maps)) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(f -> f.startsWith("/"))
                    .map(Path::of).filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null;
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
