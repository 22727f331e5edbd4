package org.sdd4j.core.testing;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;

/**
 * A teacher with a closed-form prediction for tests: eps_u(x) = 0 and eps_c(x) = k x, so the guided
 * prediction is s k x_t. Linear schedule, T = 1000.
 */
public class FakeTeacher implements DiffusionTeacher {

    private final float k;
    private final TeacherSpace space;
    private final DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.linear(1000);

    /** A fake teacher of slope k over a square pixel space. */
    public FakeTeacher(float k, int channels, int size) {
        this.k = k;
        this.space = new TeacherSpace(SpaceKind.PIXEL, channels, size, size);
    }

    /** The schedule, for computing expected values. */
    public DiscreteNoiseSchedule discreteSchedule() {
        return schedule;
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public String checksum() {
        return "00";
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public TeacherSpace space() {
        return space;
    }

    @Override
    public PredictionType predictionType() {
        return PredictionType.EPSILON;
    }

    /** Embedding 1 for a non-empty prompt, 0 for the empty one. */
    @Override
    public NDArray embed(List<String> prompts, NDManager m) {
        float[] v = new float[prompts.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = prompts.get(i).isEmpty() ? 0f : 1f;
        }
        return m.create(v, new Shape(v.length, 1));
    }

    /** eps = k * x_t for the prompt, 0 for the empty prompt. */
    @Override
    public NDArray predict(NDArray xt, int[] t, NDArray embeddings) {
        return xt.mul(k).mul(embeddings.reshape(embeddings.getShape().get(0), 1, 1, 1));
    }

    @Override
    public void close() {}
}
