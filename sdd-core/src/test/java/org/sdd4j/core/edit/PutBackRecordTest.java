package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.PutBack;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

/** The put-back chosen at distillation is recorded per edit and is what the editor uses. */
class PutBackRecordTest extends EngineTest {

    private void distil(Path bundle, String edit, PutBack putBack) {
        DistillOptions d = DistillOptions.builder().steps(2).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).putBack(putBack).build();
        new SddDistiller(manager).distill(new DistillRequest(edit, "a prompt", "", new FakeTeacher(0.05f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(400)), d, bundle, null, null));
    }

    private static int[] pixels(BufferedImage b) {
        return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    }

    @Test
    void eachEditIsPutBackAsItWasDistilled(@TempDir Path dir) {
        Path bundle = dir.resolve("b");
        distil(bundle, "recolour", PutBack.EDGE_AWARE);
        distil(bundle, "reshape", PutBack.BLEND);
        try (ManipulatorEditor e = ManipulatorEditor.load(bundle, manager)) {
            assertThat(e.manifest().at("/edits/recolour/putBack").asText()).isEqualTo("EDGE_AWARE");
            assertThat(e.putBack("recolour")).isEqualTo(FullResolution.Mode.EDGE_AWARE);
            assertThat(e.putBack("reshape")).isEqualTo(FullResolution.Mode.BLEND);
            List<BufferedImage> in = List.of(new FaceWorld(4, 10, 64).face(2).image());
            assertThat(pixels(e.editRgb(in, "recolour").get(0)))
                    .isEqualTo(pixels(e.editRgb(in, "recolour", FullResolution.Mode.EDGE_AWARE).get(0)));
            assertThatThrownBy(() -> e.putBack("nothing")).hasMessageContaining("is not in this editor");
        }
    }
}
