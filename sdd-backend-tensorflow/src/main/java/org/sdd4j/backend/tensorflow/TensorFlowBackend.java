package org.sdd4j.backend.tensorflow;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.spi.Owned;
import org.sdd4j.core.teacher.UNetTeacher;
import java.util.Optional;
import java.util.Set;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/**
 * The TensorFlow backend: inference of exported SavedModels (editors and teachers) through DJL's
 * TensorFlow engine, whose natives it extracts from Maven Central's TensorFlow jar on first use
 * ({@link TensorFlowNatives}). It cannot train: DJL's TensorFlow engine has no gradients. A
 * TensorFlow teacher can still guide a manipulator that trains on the PyTorch backend.
 */
public final class TensorFlowBackend implements SddBackend {

    /** DJL's engine name. */
    static final String ENGINE = "TensorFlow";

    private static volatile Optional<String> failure;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public TensorFlowBackend() {}

    @Override
    public String name() {
        return "tensorflow";
    }

    @Override
    public int rank() {
        return 50;
    }

    @Override
    public Optional<String> unavailableReason() {
        Optional<String> f = failure;
        if (f == null) {
            try {
                TensorFlowNatives.ensure();
                if (!Engine.hasEngine(ENGINE)) {
                    f = Optional.of("DJL's TensorFlow engine is not on the class path");
                } else {
                    Engine.getEngine(ENGINE).defaultDevice();
                    f = Optional.empty();
                }
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                f = Optional.of("the TensorFlow engine failed to start: " + e.getMessage());
            }
            failure = f;
        }
        return f;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, Set.of(SavedModelSignatures.TEACHER_FORMAT));
    }

    @Override
    public String device() {
        return isAvailable() ? "cpu()" : "none";
    }

    private void requireAvailable() {
        unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("the tensorflow backend is unavailable: " + r);
        });
    }

    @Override
    public NDManager newManager() {
        requireAvailable();
        return Engine.getEngine(ENGINE).newBaseManager();
    }

    @Override
    public DiffusionTeacher loadTeacher(Path folder) {
        return Owned.load(newManager(), root -> SavedModelTeacher.load(folder, root), Owned::teacher);
    }

    @Override
    public TimestepSelector newTimestepSelector() {
        throw new UnsupportedOperationException("the tensorflow backend has no timestep selector (the HQS search"
                + " needs operations DJL's TensorFlow engine lacks); use the pytorch backend's selector, which"
                + " accepts a TensorFlow teacher");
    }

    @Override
    public Distiller newDistiller() {
        throw new UnsupportedOperationException("the tensorflow backend cannot train: DJL's TensorFlow engine has no"
                + " gradients. Distil on the pytorch backend (Backends.get(\"pytorch\").newDistiller()); a TensorFlow"
                + " teacher can still guide it, and the result can be exported with `sdd export --format savedmodel`");
    }

    @Override
    public Editor loadEditor(Path bundle) {
        return Owned.load(newManager(), root -> SavedModelEditor.load(bundle, root), Owned::editor);
    }

    /** Exports with the weights read on a training-capable backend (DJL's TensorFlow engine cannot load them). */
    @Override
    public Path exportEditor(Path bundle, Path out, boolean force) {
        requireAvailable();
        try (NDManager m = org.sdd4j.api.Backends.bestForTraining().newManager();
                ManipulatorEditor e = ManipulatorEditor.load(bundle, m)) {
            return SavedModelExport.exportEditor(e, out, force);
        }
    }

    @Override
    public Path exportTeacher(Path teacher, Path out, boolean force) {
        requireAvailable();
        try (NDManager m = org.sdd4j.api.Backends.bestForTraining().newManager();
                UNetTeacher t = UNetTeacher.load(teacher, m)) {
            return SavedModelExport.exportTeacher(t, out, force);
        }
    }
}
