package org.sdd4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.backend.pytorch.PyTorchBackend;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.examples.EmbeddedModels;

/** A short distillation with the shipped teacher raises the oracle's smile probability on held-out faces. */
class ShortDistillationTest {

    @TempDir
    Path dir;

    @Test
    void shortDistillationMovesTheSmileScoreUp() {
        PyTorchBackend backend = new PyTorchBackend();
        try (DiffusionTeacher teacher = backend.loadTeacher(EmbeddedModels.folder(EmbeddedModels.TEACHER));
                NDManager m = PyTorchBackend.newManager();
                Oracle oracle = Oracle.load(EmbeddedModels.folder(EmbeddedModels.ORACLE), m)) {
            DistillOptions o = DistillOptions.builder().steps(40).batchSize(4).checkpointEvery(0).previewEvery(0)
                    .build();
            Path bundle = dir.resolve("editor");
            backend.newDistiller().distill(new DistillRequest("smiling", "a smiling face", teacher,
                    new FaceWorld(Demo.TRAIN_WORLD, 100_000, 32), TimestepSelection.fixed("a smiling face",
                            List.of(500)), o, bundle, dir.resolve("work"), null));
            List<Face> faces = Demo.heldOutFaces(EditTarget.SMILING, 32, 32);
            try (ManipulatorEditor editor = ManipulatorEditor.load(bundle, m)) {
                EditMetrics metrics = EditMetrics.measure(oracle, EditTarget.SMILING, faces,
                        editor.editRgb(faces.stream().map(Face::image).toList(), "smiling"));
                assertThat(metrics.targetScore()).isGreaterThan(metrics.targetScoreBefore() + 0.05);
            }
        }
    }
}
