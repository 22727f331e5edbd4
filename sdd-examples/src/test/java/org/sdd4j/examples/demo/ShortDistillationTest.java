package org.sdd4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.backend.pytorch.PyTorchBackend;
import org.sdd4j.backend.tensorflow.SavedModelExport;
import org.sdd4j.backend.tensorflow.TensorFlowBackend;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.HeldOut;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.teacher.UNetTeacher;
import org.sdd4j.examples.EmbeddedModels;

/**
 * A short distillation of "smiling" with the shipped teacher raises the oracle's smile probability on
 * held-out faces that do not smile.
 */
class ShortDistillationTest {

    @TempDir
    Path dir;

    @Test
    void shortDistillationMovesTheTargetScoreUp() {
        double[] scores = distil(new PyTorchBackend().loadTeacher(EmbeddedModels.folder(EmbeddedModels.TEACHER)));
        assertThat(scores[1]).isGreaterThan(scores[0] + 0.3);
    }

    /**
     * The same distillation with the teacher exported to a SavedModel and run by TensorFlow while the
     * manipulator trains on PyTorch: the teacher's predictions agree to 1e-4, so the oracle's score
     * moves the same way and ends close to the all-PyTorch run.
     */
    @Test
    @Tag("tensorflow")
    void aTensorFlowTeacherGuidesAPyTorchManipulatorTheSameWay() {
        Path exported = dir.resolve("teacher-tf");
        try (NDManager m = PyTorchBackend.newRootManager();
                UNetTeacher t = UNetTeacher.load(EmbeddedModels.folder(EmbeddedModels.TEACHER), m)) {
            SavedModelExport.exportTeacher(t, exported, false);
        }
        double[] tf = distil(new TensorFlowBackend().loadTeacher(exported));
        double[] pt = distil(new PyTorchBackend().loadTeacher(EmbeddedModels.folder(EmbeddedModels.TEACHER)));
        assertThat(tf[1]).isGreaterThan(tf[0] + 0.3);
        assertThat(Math.abs(tf[1] - pt[1])).isLessThan(0.05);
    }

    /** Distils "smiling" for 60 steps; returns the oracle's mean target probability before and after. */
    private double[] distil(DiffusionTeacher guide) {
        PyTorchBackend backend = new PyTorchBackend();
        Path run = dir.resolve("run-" + System.nanoTime());
        try (DiffusionTeacher teacher = guide;
                NDManager m = PyTorchBackend.newRootManager();
                Oracle oracle = Oracle.load(EmbeddedModels.folder(EmbeddedModels.ORACLE), m)) {
            // the paper's SDS: this test checks the machinery (engines, bundles), not the default objective
            DistillOptions o = DistillOptions.builder().steps(60).batchSize(4).checkpointEvery(0).previewEvery(0)
                    .sds(org.sdd4j.api.SdsOptions.defaults()).build();
            EditTarget edit = EditTarget.SMILING;
            Path bundle = run.resolve("editor");
            backend.newDistiller().distill(new DistillRequest(edit.name(), edit.prompt(), edit.negativePrompt(),
                    teacher, new FaceWorld(HeldOut.TRAIN_WORLD, 100_000, 32), TimestepSelection.fixed(edit.prompt(),
                            List.of(350)), o, bundle, run.resolve("work"), null));
            List<Face> faces = HeldOut.faces(edit, 32, 32);
            try (ManipulatorEditor editor = ManipulatorEditor.load(bundle, m)) {
                EditMetrics metrics = EditMetrics.measure(oracle, edit, faces,
                        editor.editRgb(faces.stream().map(Face::image).toList(), edit.name()));
                System.out.printf(java.util.Locale.ROOT, "%s, %s teacher: oracle P(target) %.3f -> %.3f%n", edit.name(),
                        teacher.id(), metrics.targetScoreBefore(), metrics.targetScore());
                return new double[] {metrics.targetScoreBefore(), metrics.targetScore()};
            }
        }
    }
}
