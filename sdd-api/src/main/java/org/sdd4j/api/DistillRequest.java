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
 * @param replaceEdit whether an edit of the same name already in the bundle may be replaced (default: refused)
 * @param force whether a non-empty output folder that is not an editor bundle may receive the bundle's files
 *     beside its content (nothing there is replaced or deleted; default: refused)
 */
public record DistillRequest(String edit, String prompt, String negativePrompt, DiffusionTeacher teacher, TrainingData data,
        TimestepSelection selection, DistillOptions options, Path outputDir, Path workDir, ProgressListener listener,
        boolean replaceEdit, boolean force) {

    /** A request that neither replaces an existing edit nor writes into a foreign folder. */
    public DistillRequest(String edit, String prompt, String negativePrompt, DiffusionTeacher teacher, TrainingData data,
            TimestepSelection selection, DistillOptions options, Path outputDir, Path workDir, ProgressListener listener) {
        this(edit, prompt, negativePrompt, teacher, data, selection, options, outputDir, workDir, listener, false, false);
    }

    /** This request with the given output policy. */
    public DistillRequest withOutputPolicy(boolean replace, boolean forceFolder) {
        return new DistillRequest(edit, prompt, negativePrompt, teacher, data, selection, options, outputDir, workDir,
                listener, replace, forceFolder);
    }

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
            workDir = outputDir.resolveSibling(outputDir.getFileName() + ".work").resolve(workName(edit));
        }
        if (listener == null) {
            listener = ProgressListener.NONE;
        }
    }

    /** A folder name for an edit: its characters made safe, plus a hash so that "a b" and "a_b" differ. */
    static String workName(String edit) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
                    edit.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return edit.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
