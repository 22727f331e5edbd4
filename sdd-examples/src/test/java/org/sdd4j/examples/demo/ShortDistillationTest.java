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

/**
 * A short distillation with the shipped teacher raises the oracle's probability of the target on held-out
 * faces. It uses the "blond hair" edit: the shipped teacher's smile guidance is too weak for SDD to
 * produce smiles (see README), and a test that cannot pass says nothing.
 */
class ShortDistillationTest {

    @TempDir
    Path dir;

    @Test
    void shortDistillationMovesTheTargetScoreUp() {
        PyTorchBackend backend = new PyTorchBackend();
        try (DiffusionTeacher teacher = backend.loadTeacher(EmbeddedModels.folder(EmbeddedModels.TEACHER));
                NDManager m = PyTorchBackend.newManager();
                Oracle oracle = Oracle.load(EmbeddedModels.folder(EmbeddedModels.ORACLE), m)) {
            DistillOptions o = DistillOptions.builder().steps(60).batchSize(4).checkpointEvery(0).previewEvery(0)
                    .build();
            EditTarget edit = EditTarget.BLOND;
            Path bundle = dir.resolve("editor");
            backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(), edit.negativePrompt(),
                    teacher, new FaceWorld(Demo.TRAIN_WORLD, 100_000, 32), TimestepSelection.fixed(edit.prompt(),
                            List.of(450)), o, bundle, dir.resolve("work"), null));
            List<Face> faces = Demo.heldOutFaces(edit, 32, 32);
            try (ManipulatorEditor editor = ManipulatorEditor.load(bundle, m)) {
                EditMetrics metrics = EditMetrics.measure(oracle, edit, faces,
                        editor.editRgb(faces.stream().map(Face::image).toList(), edit.name()));
                assertThat(metrics.targetScore()).isGreaterThan(metrics.targetScoreBefore() + 0.05);
            }
        }
    }
}
