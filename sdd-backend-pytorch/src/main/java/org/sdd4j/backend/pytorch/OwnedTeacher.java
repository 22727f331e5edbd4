package org.sdd4j.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.sdd4j.api.Conditioning;
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
        NDManager root = PyTorchBackend.newManager();
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
    public Conditioning encode(String prompt, NDManager manager) {
        return teacher.encode(prompt, manager);
    }

    @Override
    public Conditioning encode(String prompt, String negativePrompt, NDManager manager) {
        return teacher.encode(prompt, negativePrompt, manager);
    }

    @Override
    public NDArray predictNoise(NDArray xt, int[] timesteps, Conditioning c, float guidanceScale) {
        return teacher.predictNoise(xt, timesteps, c, guidanceScale);
    }

    @Override
    public void close() {
        teacher.close();
        root.close();
    }
}
