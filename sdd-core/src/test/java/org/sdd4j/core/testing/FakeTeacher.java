package org.sdd4j.core.testing;

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
public final class FakeTeacher implements DiffusionTeacher {

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

    @Override
    public Conditioning encode(String prompt, NDManager m) {
        return new Conditioning(prompt, m.ones(new Shape(1)), m.zeros(new Shape(1)));
    }

    @Override
    public NDArray predictNoise(NDArray xt, int[] t, Conditioning c, float s) {
        NDArray epsU = xt.zerosLike();
        NDArray epsC = xt.mul(k);
        return epsU.add(epsC.sub(epsU).mul(s));
    }

    @Override
    public void close() {}
}
