package org.sdd4j.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one distillation run needs: which edit to learn, from which teacher, on which data.
 *
 * @param edit the edit's name in the bundle, for example {@code smiling}
 * @param prompt the teacher prompt that describes the target, for example {@code "a smiling face"}
 * @param negativePrompt the prompt guidance moves away from (empty: plain classifier-free guidance), for
 *     example {@code "a frowning face"}
 * @param teacher the frozen teacher
 * @param data training images (their captions are not used by the student)
 * @param selection the timesteps to train at
 * @param options training options
 * @param outputDir the editor bundle to write (created, or extended with this edit)
 * @param workDir where checkpoints, curves and previews go (default {@code <outputDir>.work/<edit>}); a
 *     run found there is resumed
 * @param listener progress receiver
 */
public record DistillRequest(String edit, String prompt, String negativePrompt, DiffusionTeacher teacher, TrainingData data,
        TimestepSelection selection, DistillOptions options, Path outputDir, Path workDir, ProgressListener listener) {

    /** Validates. */
    public DistillRequest {
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(outputDir, "outputDir");
        if (edit == null || !edit.matches("[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")) {
            throw new IllegalArgumentException("edit name must be 1-64 letters, digits, spaces, '_', '.' or '-', got '"
                    + edit + "'");
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("the teacher prompt of edit '" + edit + "' must not be empty");
        }
        if (negativePrompt == null) {
            negativePrompt = "";
        }
        if (workDir == null) {
            workDir = outputDir.resolveSibling(outputDir.getFileName() + ".work").resolve(edit.replace(' ', '_'));
        }
        if (listener == null) {
            listener = ProgressListener.NONE;
        }
    }
}
