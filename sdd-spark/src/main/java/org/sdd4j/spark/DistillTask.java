package org.sdd4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.TrainingData;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.io.EditorBundle;

/**
 * Distils one edit on an executor into its own bundle on shared storage. The distiller checkpoints
 * into the task's work folder, so a retried task resumes where the failed attempt stopped; a task
 * whose bundle is already complete (a re-run stage) returns at once.
 *
 * <p>DJL's PyTorch engine records gradients for one training at a time per process, so tasks that
 * share an executor JVM train one after another (tasks on different executors run in parallel);
 * give distillation jobs {@code spark.task.cpus} = {@code spark.executor.cores} to avoid idle slots.
 */
final class DistillTask implements Function<DistillJob, String> {

    private static final long serialVersionUID = 1L;
    /** One training per JVM (see the class comment). */
    private static final Object TRAINING = new Object();

    private final TeacherSource teacher;
    private final DataSource data;
    private final String parts;

    DistillTask(TeacherSource teacher, DataSource data, String parts) {
        this.teacher = teacher;
        this.data = data;
        this.parts = parts;
    }

    static Path partFolder(Path parts, String edit) {
        return parts.resolve(edit.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                + org.sdd4j.core.io.ModelFolder.nameHash(edit));
    }

    @Override
    public String call(DistillJob job) {
        Path part = partFolder(Path.of(parts), job.edit());
        Path bundle = part.resolve("bundle");
        if (Files.isRegularFile(bundle.resolve("manifest.json"))
                && EditorBundle.readVerified(bundle).path("edits").has(job.edit())) {
            return bundle.toString();
        }
        synchronized (TRAINING) {
            return train(job, bundle, part);
        }
    }

    private String train(DistillJob job, Path bundle, Path part) {
        SddBackend backend = Backends.bestForTraining();
        TrainingData d = data.open();
        DistillOptions options = DistillOptions.defaults().toBuilder().steps(job.steps()).seed(job.seed()).build();
        try (DiffusionTeacher t = backend.loadTeacher(teacher.localFolder())) {
            TimestepSelection sel;
            if (!job.timesteps().isEmpty()) {
                sel = TimestepSelection.fixed(job.prompt(), job.timesteps());
            } else {
                List<ai.djl.modality.cv.Image> samples = new ArrayList<>();
                for (int i = 0; i < Math.min(16, d.size()); i++) {
                    samples.add(d.get(i).image());
                }
                sel = backend.newTimestepSelector().select(t, job.prompt(), samples,
                        SelectionOptions.defaults().withGuidanceOf(job.negativePrompt(), options.sds()));
            }
            backend.newDistiller().distill(new DistillRequest(job.edit(), job.prompt(), job.negativePrompt(), t, d, sel,
                    options, bundle, part.resolve("work"), null).withOutputPolicy(true, false));
        }
        return bundle.toString();
    }
}
