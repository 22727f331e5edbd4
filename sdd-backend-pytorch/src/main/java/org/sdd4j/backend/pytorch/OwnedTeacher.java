package org.sdd4j.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.teacher.UNetTeacher;

/** A teacher that owns the root manager it was loaded under, and closes it with itself. */
final class OwnedTeacher implements DiffusionTeacher {

    private final NDManager root;
    private final UNetTeacher teacher;

    private OwnedTeacher(NDManager root, UNetTeacher teacher) {
        this.root = root;
        this.teacher = teacher;
    }

    static DiffusionTeacher load(Path folder) {
        NDManager root = PyTorchBackend.newRootManager();
        try {
            return new OwnedTeacher(root, UNetTeacher.load(folder, root));
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The wrapped teacher. */
    UNetTeacher unwrap() {
        return teacher;
    }

    @Override
    public String id() {
        return teacher.id();
    }

    @Override
    public String checksum() {
        return teacher.checksum();
    }

    @Override
    public NoiseSchedule schedule() {
        return teacher.schedule();
    }

    @Override
    public TeacherSpace space() {
        return teacher.space();
    }

    @Override
    public PredictionType predictionType() {
        return teacher.predictionType();
    }

    @Override
    public NDArray embed(List<String> prompts, NDManager manager) {
        return teacher.embed(prompts, manager);
    }

    @Override
    public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
        return teacher.predict(xt, timesteps, embeddings);
    }

    @Override
    public void close() {
        teacher.close();
        root.close();
    }
}
