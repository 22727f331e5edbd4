package org.sdd4j.core.teacher;

import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.TeacherSpace;

/** What every teacher knows about itself, held once: identity, checksum, schedule, space, prediction type. */
public abstract class TeacherBase implements DiffusionTeacher {

    private final String id;
    private final String checksum;
    private final NoiseSchedule schedule;
    private final TeacherSpace space;
    private final PredictionType prediction;

    /**
     * @param id the teacher's identity
     * @param checksum SHA-256 of its weights
     * @param schedule its forward process
     * @param space the space x_t lives in
     * @param prediction what its network predicts
     */
    protected TeacherBase(String id, String checksum, NoiseSchedule schedule, TeacherSpace space,
            PredictionType prediction) {
        this.id = id;
        this.checksum = checksum;
        this.schedule = schedule;
        this.space = space;
        this.prediction = prediction;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String checksum() {
        return checksum;
    }

    @Override
    public final NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public final TeacherSpace space() {
        return space;
    }

    @Override
    public final PredictionType predictionType() {
        return prediction;
    }
}
