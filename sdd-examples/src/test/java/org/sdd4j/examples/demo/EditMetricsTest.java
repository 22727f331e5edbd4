package org.sdd4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sdd4j.backend.pytorch.PyTorchBackend;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.eval.EditTarget;
import org.sdd4j.core.eval.HeldOut;
import org.sdd4j.core.eval.FrechetDistance;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.examples.EmbeddedModels;

/** The edit metrics with the shipped oracle on edits whose outcome is known by construction. */
class EditMetricsTest {

    private static NDManager manager;
    private static Oracle oracle;
    private static final FaceWorld WORLD = new FaceWorld(HeldOut.HELD_OUT_WORLD, 1_000_000, 32);

    @BeforeAll
    static void load() {
        manager = PyTorchBackend.newRootManager();
        oracle = Oracle.load(EmbeddedModels.folder(EmbeddedModels.ORACLE), manager);
    }

    @AfterAll
    static void close() {
        oracle.close();
        manager.close();
    }

    private static List<BufferedImage> genuine(EditTarget edit, List<Integer> idx) {
        return idx.stream().map(i -> WORLD.faceWith(i, edit.target().apply(WORLD.attributes(i))).image()).toList();
    }

    @Test
    void anUnchangedImageIsNoEditAndChangesNothing() {
        for (EditTarget edit : EditTarget.ALL) {
            List<Face> faces = HeldOut.faces(edit, 40, 32);
            EditMetrics m = EditMetrics.measure(oracle, edit, faces, faces.stream().map(Face::image).toList());
            assertThat(m.success()).as(edit.name()).isLessThanOrEqualTo(0.03);
            assertThat(m.preservation()).as(edit.name()).isGreaterThanOrEqualTo(0.97);
            assertThat(m.psnrOutside()).isEqualTo(99.0);
        }
    }

    @Test
    void theGenuinelyEditedFaceIsASuccessThatKeepsEverythingElse() {
        for (EditTarget edit : EditTarget.ALL) {
            List<Integer> idx = HeldOut.indices(edit, 40, 32);
            List<Face> faces = idx.stream().map(WORLD::face).toList();
            EditMetrics m = EditMetrics.measure(oracle, edit, faces, genuine(edit, idx));
            assertThat(m.success()).as(edit.name()).isGreaterThanOrEqualTo(0.95);
            assertThat(m.preservation()).as(edit.name()).isGreaterThanOrEqualTo(0.95);
            assertThat(m.targetScore()).isGreaterThan(m.targetScoreBefore() + 0.8);
            // the region is every pixel the genuine edit changes: nothing outside it differs
            assertThat(m.psnrOutside()).as(edit.name()).isEqualTo(99.0);
        }
    }

    @Test
    void successIsBrokenDownByTheEditedAttributesOriginalClass() {
        EditTarget edit = EditTarget.BLOND;
        List<Integer> idx = HeldOut.indices(edit, 60, 32);
        List<Face> faces = idx.stream().map(WORLD::face).toList();
        List<BufferedImage> genuine = genuine(edit, idx);
        // only the grey-haired faces are edited (genuinely); the others are left as they are
        List<BufferedImage> edited = new java.util.ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            boolean grey = faces.get(i).attributes().hair() == org.sdd4j.core.data.FaceAttributes.Hair.GREY;
            edited.add(grey ? genuine.get(i) : faces.get(i).image());
        }
        EditMetrics m = EditMetrics.measure(oracle, edit, faces, edited);
        assertThat(m.successBySource()).containsOnlyKeys("black", "brown", "red", "grey");
        assertThat(m.successBySource().values().stream().mapToInt(EditMetrics.Share::count).sum()).isEqualTo(60);
        assertThat(m.successBySource().get("grey").fraction()).isGreaterThanOrEqualTo(0.9);
        assertThat(m.successBySource().get("black").fraction()).isLessThanOrEqualTo(0.1);
        assertThat(m.successBySourceText()).startsWith("black 0.0% (").contains("grey 100.0% (");
    }

    @Test
    void frechetDistanceIsSmallBetweenTwoSamplesOfTheTargetAndLargeToTheInputs() {
        EditTarget edit = EditTarget.SMILING;
        List<Integer> idx = HeldOut.indices(edit, 300, 32);
        List<float[]> a = features(genuine(edit, idx.subList(0, 150)));
        List<float[]> b = features(genuine(edit, idx.subList(150, 300)));
        List<float[]> inputs = features(idx.subList(0, 150).stream().map(i -> WORLD.face(i).image()).toList());
        double same = FrechetDistance.between(a, b);
        double other = FrechetDistance.between(inputs, b);
        assertThat(same).isLessThan(other / 3);
    }

    private static List<float[]> features(List<BufferedImage> images) {
        return oracle.judge(images).stream().map(Oracle.Judgement::features).toList();
    }
}
