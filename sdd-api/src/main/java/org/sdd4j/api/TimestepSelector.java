package org.sdd4j.api;

import ai.djl.modality.cv.Image;
import java.util.List;

/**
 * Scores candidate timesteps by how useful the teacher's gradient is there, and selects the ones
 * to distil at (SDD, Section 3.3: the Hybrid Quality Score).
 */
public interface TimestepSelector {

    /**
     * Scores every candidate on the sample images, for the untrained (identity) manipulator.
     *
     * @param teacher the frozen teacher
     * @param prompt the edit prompt, for example {@code "a smiling face"}
     * @param samples images from the training domain (resized to the teacher's resolution)
     * @param options candidates, rule and gradient options
     * @return the full score table and the selected timesteps
     */
    TimestepSelection select(DiffusionTeacher teacher, String prompt, List<Image> samples, SelectionOptions options);
}
