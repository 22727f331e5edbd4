package org.sdd4j.core.manipulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

class MaskedManipulatorTest extends EngineTest {

    @TempDir
    Path dir;

    @Test
    void startsAsTheIdentityWithTheMaskOpenAt88Percent() {
        Manipulator m = ResidualManipulator.create(ResidualManipulator.MASKED, 4);
        m.block().initialize(manager);
        NDArray y = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
        Manipulator.Output out = m.applyWithMask(new ParameterStore(manager, false), y, false);
        assertThat(out.edited().sub(y).abs().max().getFloat()).isZero();
        assertThat(out.mask().getShape()).isEqualTo(new Shape(2, 1, 16, 16));
        assertThat(out.mask().min().getFloat()).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        assertThat(out.mask().max().getFloat()).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        assertThat(m.architecture()).isEqualTo("masked-unet");
        // the plain architecture has no mask
        Manipulator plain = ResidualManipulator.create(ResidualManipulator.NAME, 4);
        plain.block().initialize(manager);
        assertThat(plain.applyWithMask(new ParameterStore(manager, false), y, false).mask()).isNull();
    }

    private double meanMaskAfterDistilling(float maskWeight, String name) {
        DistillOptions o = DistillOptions.builder().steps(40).batchSize(4).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).manipulator(ResidualManipulator.MASKED).maskWeight(maskWeight).build();
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", new FakeTeacher(0.05f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)), o, dir.resolve(name),
                null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve(name), manager)) {
            assertThat(e.manifest().at("/edits/edit/architecture").asText()).isEqualTo(ResidualManipulator.MASKED);
            Manipulator m = e.manipulators().get("edit");
            NDArray y = manager.randomUniform(-1, 1, new Shape(4, 3, 16, 16));
            return m.applyWithMask(new ParameterStore(manager, false), y, false).mask().mean().getFloat();
        }
    }

    @Test
    void theAreaCostClosesTheMaskAndTheBundleKeepsIt() {
        double open = meanMaskAfterDistilling(0f, "free");
        double costed = meanMaskAfterDistilling(1f, "costed");
        assertThat(costed).isLessThan(open - 0.05);
    }

    @Test
    void aManipulatorWithoutAMaskIgnoresTheMaskWeightAndRecordsNone() {
        DistillOptions o = DistillOptions.builder().steps(2).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).manipulator(ResidualManipulator.NAME).maskWeight(0.1f).build();
        new SddDistiller(manager).distill(new DistillRequest("edit", "a prompt", "", new FakeTeacher(0.01f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(300)), o, dir.resolve("x"),
                null, null));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("x"), manager)) {
            assertThat(e.manifest().at("/edits/edit/architecture").asText()).isEqualTo(ResidualManipulator.NAME);
            assertThat(e.manifest().at("/edits/edit/training/options/maskWeight").asDouble()).isZero();
        }
    }

    @Test
    void theDefaultsAreTheMaskedManipulatorWithItsCost() {
        assertThat(DistillOptions.defaults().manipulator()).isEqualTo(ResidualManipulator.MASKED);
        assertThat(DistillOptions.defaults().maskWeight()).isEqualTo(DistillOptions.DEFAULT_MASK_WEIGHT);
    }
}
