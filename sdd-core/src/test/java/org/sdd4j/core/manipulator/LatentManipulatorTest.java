package org.sdd4j.core.manipulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

class LatentManipulatorTest extends EngineTest {

    @TempDir
    Path dir;

    Path prior() {
        Path p = dir.resolve("prior");
        double psnr = PriorTrainer.train(new FaceWorld(1, 1000, 16), new FaceWorld(2, 50, 16),
                new PriorTrainer.Options(30, 8, 2e-3f, 16, 1), p, manager, null, false);
        assertThat(psnr).isFinite();
        return p;
    }

    @Test
    void editingProjectsOnlyTheChangedPixelsOntoThePrior() {
        LatentManipulator l = new LatentManipulator(4, true);
        l.initialize(manager);
        l.loadPrior(prior(), manager);
        try (var s = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(s, false);
            NDArray y = s.randomUniform(-1, 1, new Shape(1, 3, 16, 16));
            // a change of 0.5 in the top-left quarter, none elsewhere
            float[] d = new float[3 * 256];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 256; p++) {
                    d[c * 256 + p] = (p / 16 < 8 && p % 16 < 8) ? 0.5f : 0f;
                }
            }
            NDArray edited = y.add(s.create(d, new Shape(1, 3, 16, 16)));
            float[] out = l.project(ps, y, edited).toFloatArray();
            float[] e = edited.toFloatArray();
            float[] prior = l.project(ps, edited.sub(1f), edited).toFloatArray(); // changed everywhere: D(E(y'))
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 256; p++) {
                    int i = c * 256 + p;
                    assertThat(out[i]).isEqualTo(d[i] == 0 ? e[i] : prior[i]);
                }
            }
            assertThat(prior).isNotEqualTo(e);
        }
    }

    @Test
    void startsAsTheExactIdentityAndTrainsOnlyItsLatentNetwork() {
        Path p = prior();
        String priorWeights = AtomicFiles.sha256Tree(p);
        LatentManipulator l = new LatentManipulator(4);
        l.initialize(manager);
        l.loadPrior(p, manager);
        NDArray y = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
        NDArray out = l.apply(new ParameterStore(manager, false), y, false);
        assertThat(out.sub(y).abs().max().getFloat()).isZero();
        // the prior's parameters are frozen, the latent network's are not, also after a freeze/unfreeze
        l.freezeParameters(true);
        l.freezeParameters(false);
        l.getParameters().forEach(e -> assertThat(e.getValue().requiresGradient())
                .as(e.getKey()).isEqualTo(!e.getKey().contains("prior")));
        assertThat(AtomicFiles.sha256Tree(p)).isEqualTo(priorWeights);
    }

    @Test
    void distilsIntoABundleTheEditorLoads() {
        Path p = prior();
        DistillOptions o = DistillOptions.builder().steps(3).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).manipulator(LatentManipulator.NAME).prior(p.toString()).build();
        FakeTeacher teacher = new FakeTeacher(0.01f, 3, 16);
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", teacher, new FaceWorld(3, 100, 16),
                TimestepSelection.fixed("a prompt", List.of(300)), o, dir.resolve("b"), null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("b"), manager)) {
            assertThat(e.manifest().at("/edits/edit/architecture").asText()).isEqualTo(LatentManipulator.NAME);
        }
        DistillOptions noPrior = o.toBuilder().prior("").build();
        assertThatThrownBy(() -> new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", teacher,
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)), noPrior,
                dir.resolve("c"), null, null))).hasMessageContaining("--prior");
    }

    @Test
    void theMaskedVariantStartsAsTheIdentityAndItsBundleLoads() throws java.io.IOException {
        Path p = prior();
        Manipulator m = ResidualManipulator.create(LatentManipulator.MASKED, 4);
        m.block().initialize(manager);
        ((LatentManipulator) m).loadPrior(p, manager);
        NDArray y = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
        Manipulator.Output out = m.applyWithMask(new ParameterStore(manager, false), y, false);
        assertThat(out.edited().sub(y).abs().max().getFloat()).isZero();
        assertThat(out.mask().getShape()).isEqualTo(new Shape(2, 1, 16, 16));
        assertThat(m.predictsMask()).isTrue();
        DistillOptions o = DistillOptions.builder().steps(3).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).manipulator(LatentManipulator.MASKED).prior(p.toString()).maskWeight(0.05f).build();
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", new FakeTeacher(0.01f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)), o, dir.resolve("b"),
                null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("b"), manager)) {
            assertThat(e.manifest().at("/edits/edit/architecture").asText()).isEqualTo(LatentManipulator.MASKED);
            assertThat(e.manipulators().get("edit").predictsMask()).isTrue();
            assertThat(e.manipulators().get("edit").maskGain()).isEqualTo(1f);
        }
        // a mask gain is recorded with the edit and set again when the bundle loads
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", new FakeTeacher(0.01f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)),
                o.toBuilder().maskGain(1.5f).build(), dir.resolve("g"), null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("g"), manager)) {
            assertThat(e.manifest().at("/edits/edit/maskGain").asDouble()).isEqualTo(1.5);
            assertThat(e.manipulators().get("edit").maskGain()).isEqualTo(1.5f);
        }
        // so is a mask floor (absent when 0)
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", new FakeTeacher(0.01f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)),
                o.toBuilder().maskGain(1.5f).maskFloor(0.1f).build(), dir.resolve("f"), null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("f"), manager)) {
            assertThat(e.manifest().at("/edits/edit/maskFloor").asDouble()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(e.manipulators().get("edit").maskFloor()).isEqualTo(0.1f);
        }
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("g"), manager)) {
            assertThat(e.manifest().at("/edits/edit").has("maskFloor")).isFalse();
            assertThat(e.manipulators().get("edit").maskFloor()).isZero();
        }
        Path floored = dir.resolve("f").resolve("manifest.json");
        java.nio.file.Files.writeString(floored, java.nio.file.Files.readString(floored)
                .replaceAll("\"maskFloor\" : [0-9.]+", "\"maskFloor\" : 1.0"));
        assertThatThrownBy(() -> ManipulatorEditor.load(dir.resolve("f"), manager))
                .hasMessageContaining("edit 'edit' records an unusable maskFloor").hasMessageContaining("[0, 1)");
        // a damaged record is refused naming the edit
        Path manifest = dir.resolve("g").resolve("manifest.json");
        String text = java.nio.file.Files.readString(manifest);
        assertThat(text).contains("\"maskGain\" : 1.5");
        java.nio.file.Files.writeString(manifest, text.replace("\"maskGain\" : 1.5", "\"maskGain\" : -1.0"));
        assertThatThrownBy(() -> ManipulatorEditor.load(dir.resolve("g"), manager))
                .hasMessageContaining("edit 'edit' records an unusable maskGain").hasMessageContaining("> 0");
    }

    /**
     * The masks a new masked manipulator predicts for a random image: when editing, then after {@code change} in
     * training and when editing.
     */
    private float[][] masks(Manipulator masked, java.util.function.Consumer<Manipulator> change) {
        masked.block().initialize(manager);
        NDArray x = manager.randomUniform(-1, 1, new Shape(1, 3, 8, 8));
        ParameterStore ps = new ParameterStore(manager, false);
        float[] before = masked.applyWithMask(ps, x, false).mask().toFloatArray();
        change.accept(masked);
        return new float[][] {before, masked.applyWithMask(ps, x, true).mask().toFloatArray(),
                masked.applyWithMask(ps, x, false).mask().toFloatArray()};
    }

    /** Mask logits (1, 1, 1, n) whose mask, sigmoid(logit + {@link Manipulator#MASK_BIAS}), is {@code m}. */
    private NDArray logitsOf(float... m) {
        float[] logit = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            logit[i] = (float) Math.log(m[i] / (1 - m[i])) - Manipulator.MASK_BIAS;
        }
        return manager.create(logit, new Shape(1, 1, 1, m.length));
    }

    @Test
    void theMaskFloorClosesTheMasksTailWhenEditingOnlyBeforeTheGainOpensTheRest() {
        NDArray y = manager.zeros(new Shape(1, 3, 1, 4));
        NDArray change = manager.ones(new Shape(1, 3, 1, 4));
        NDArray l = logitsOf(0.05f, 0.1f, 0.4f, 0.8f);
        // floor 0.1: max(0, m - 0.1) / 0.9 = 0, 0, 1/3, 7/9; then gain 1.5: 0, 0, 0.5, 1
        float[] closed = Manipulator.Output.of(y, change, l, 1.5f, 0.1f).mask().toFloatArray();
        float[] expected = {0f, 0f, 0.5f, 1f};
        for (int i = 0; i < 4; i++) {
            assertThat(closed[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(Manipulator.Output.of(y, change, l, 1f, 0.1f).mask().toFloatArray()[2])
                .isCloseTo(1f / 3, org.assertj.core.data.Offset.offset(1e-5f));

        // a masked manipulator trains with the mask as predicted and edits with its tail closed
        Manipulator masked = ResidualManipulator.create(ResidualManipulator.MASKED, 4);
        float[][] masks = masks(masked, m -> m.maskFloor(0.5f));
        float[] before = masks[0];
        assertThat(masks[1]).containsExactly(before);
        float[] editing = masks[2];
        for (int i = 0; i < before.length; i++) {
            assertThat(editing[i]).isCloseTo(Math.max(0f, before[i] - 0.5f) / 0.5f,
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThatThrownBy(() -> masked.maskFloor(1f)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> masked.maskFloor(-0.1f)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> DistillOptions.builder().maskFloor(1f).build()).hasMessageContaining("--mask-floor");
    }

    @Test
    void theMaskGainOpensTheMaskWhenEditingOnlyAndIsRefusedWithoutAMask() {
        NDArray y = manager.zeros(new Shape(1, 3, 1, 4));
        NDArray change = manager.ones(new Shape(1, 3, 1, 4));
        NDArray l = logitsOf(0.2f, 0.5f, 0.6f, 0.9f);
        float[] opened = Manipulator.Output.of(y, change, l, 1.5f).mask().toFloatArray();
        float[] expected = {0.3f, 0.75f, 0.9f, 1f};
        for (int i = 0; i < 4; i++) {
            assertThat(opened[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(Manipulator.Output.of(y, change, l, 1.5f).edited().toFloatArray()).containsExactly(
                Manipulator.Output.of(y, change, l, 1.5f).mask().repeat(1, 3).toFloatArray());

        // a masked manipulator trains with the mask as predicted and edits with it opened
        Manipulator masked = ResidualManipulator.create(ResidualManipulator.MASKED, 4);
        float[][] masks = masks(masked, m -> m.maskGain(2f));
        float[] before = masks[0];
        float[] training = masks[1];
        float[] editing = masks[2];
        assertThat(training).containsExactly(before);
        for (int i = 0; i < before.length; i++) {
            assertThat(editing[i]).isCloseTo(Math.min(1f, 2 * before[i]), org.assertj.core.data.Offset.offset(1e-6f));
        }

        Manipulator plain = ResidualManipulator.create(ResidualManipulator.NAME, 4);
        assertThatThrownBy(() -> plain.maskGain(1.5f)).hasMessageContaining("predicts a mask");
        assertThatThrownBy(() -> plain.maskFloor(0.1f)).hasMessageContaining("predicts a mask");
        plain.maskFloor(0f);
        plain.maskGain(1f);
        assertThatThrownBy(() -> masked.maskGain(0f)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> DistillOptions.builder().maskGain(Float.NaN).build())
                .hasMessageContaining("maskGain");
    }
}
