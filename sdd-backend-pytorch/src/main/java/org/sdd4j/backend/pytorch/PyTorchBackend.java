package org.sdd4j.backend.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.spi.Owned;
import org.sdd4j.core.selection.HqsSelector;
import org.sdd4j.core.teacher.UNetTeacher;

/**
 * The PyTorch backend (DJL's PyTorch engine, libtorch 2.7.1): trains and runs everything. Computes
 * on the first GPU when the engine reports one, otherwise on the CPU. Offline mode is switched on
 * unless the user set {@code ai.djl.offline} explicitly, so a missing native jar fails loudly
 * instead of triggering a download. oneDNN is capped at SSE4.1 (see {@link CpuIsaGuard}); libtorch
 * threads follow {@link ThreadPolicy}.
 */
public final class PyTorchBackend implements SddBackend {

    /** The engine name DJL registers. */
    static final String ENGINE = "PyTorch";

    private volatile Optional<String> failure;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public PyTorchBackend() {}

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public int rank() {
        return 100;
    }

    /** Switches DJL to offline mode unless the user decided otherwise. */
    static void preferOffline() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** The PyTorch engine, started on first use. */
    static Engine engine() {
        preferOffline();
        CpuIsaGuard.apply();
        ThreadPolicy.apply();
        Engine engine = Engine.getEngine(ENGINE);
        CpuIsaGuard.quietLoadedLibtorch();
        return engine;
    }

    @Override
    public Optional<String> unavailableReason() {
        Optional<String> f = failure;
        if (f == null) {
            try {
                preferOffline();
                CpuIsaGuard.apply();
                ThreadPolicy.apply();
                if (!Engine.hasEngine(ENGINE)) {
                    f = Optional.of("DJL's PyTorch engine is not on the class path");
                } else {
                    engine().defaultDevice();
                    f = Optional.empty();
                }
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                f = Optional.of("the PyTorch engine failed to start: " + e.getMessage());
            }
            failure = f;
        }
        return f;
    }

    /** The device computations run on: the engine's default (a GPU if it sees one, else the CPU). */
    public static Device computeDevice() {
        Device d = engine().defaultDevice();
        return d.isGpu() ? d : Device.cpu();
    }

    @Override
    public Capabilities capabilities() {
        boolean gpu = isAvailable() && computeDevice().isGpu();
        return new Capabilities(true, gpu, Set.of(UNetTeacher.FORMAT, StableDiffusionTeacher.FORMAT));
    }

    /** The oneDNN instruction-set cap in force, for diagnostics. */
    public static String cpuIsaCap() {
        return CpuIsaGuard.apply();
    }

    @Override
    public String device() {
        return isAvailable() ? computeDevice().toString() : "none";
    }

    /** A new root manager on the compute device. */
    public static NDManager newRootManager() {
        NDManager m = engine().newBaseManager(computeDevice());
        // libtorch's gradient mode is per thread and on by default; DJL turns it off only on the thread
        // that started the engine. Work that starts here records gradients only inside a gradient
        // collector, on whichever thread it runs (a server's worker, a Spark task).
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        return m;
    }

    @Override
    public NDManager newManager() {
        requireAvailable();
        return newRootManager();
    }

    @Override
    public boolean setIntraOpThreads(int threads) {
        ThreadPolicy.setIntraOpThreads(threads);
        return true;
    }

    private void requireAvailable() {
        unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("the pytorch backend is unavailable: " + r);
        });
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        requireAvailable();
        if (StableDiffusionTeacher.isStableDiffusionFolder(folder)) {
            return Owned.load(newRootManager(), root -> StableDiffusionTeacher.load(folder, root), Owned::teacher);
        }
        return Owned.load(newRootManager(), root -> UNetTeacher.load(folder, root), Owned::teacher);
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        requireAvailable();
        return new HqsSelector(PyTorchBackend::newRootManager);
    }

    @Override
    public Distiller newDistiller() {
        requireAvailable();
        return new SddDistiller(PyTorchBackend::newRootManager);
    }

    @Override
    public Editor loadEditor(Path bundle) {
        requireAvailable();
        return Owned.load(newRootManager(), root -> ManipulatorEditor.load(bundle, root), Owned::editor);
    }
}
