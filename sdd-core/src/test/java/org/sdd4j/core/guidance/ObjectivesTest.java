package org.sdd4j.core.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.SdsOptions;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.selection.HqsSelector;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

class ObjectivesTest extends EngineTest {

    private static final float[] Y = {0.2f, -0.4f, 0.6f, 1.0f, -1.0f, 0.0f, 0.3f, 0.9f};
    private static final float[] Y_EDITED = {0.5f, -0.1f, 0.6f, 0.2f, -0.7f, 0.4f, 0.3f, 0.1f};

    private static SdsOptions options(GuidanceObjective o, String source) {
        return SdsOptions.defaults().withTopKFraction(0).withZeroNoise(true).withGuidanceScale(7f).withObjective(o)
                .withSourcePrompt(source);
    }

    private float[] gradient(FakeTeacher teacher, GuidanceSetup setup, float[] edited, float[] source, int[] t) {
        try (NDManager m = manager.newSubManager(); GuidanceSetup.Encoded c = setup.encode(teacher, m)) {
            NDArray e = m.create(edited, new Shape(2, 1, 2, 2));
            NDArray s = m.create(source, new Shape(2, 1, 2, 2));
            return ScoreDistillation.gradient(teacher, c, e, s, t, 0, new SplittableRandom(1)).toFloatArray();
        }
    }

    @Test
    void ddsOfAnImageAgainstItselfUnderTheSamePromptIsExactlyZero() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        GuidanceSetup setup = GuidanceSetup.of("a smiling face", "", options(GuidanceObjective.DDS, "a smiling face")
                .withZeroNoise(false));
        float[] g = gradient(teacher, setup, Y, Y, new int[] {300, 700});
        assertThat(g).containsOnly(0f);
    }

    @Test
    void ddsMatchesAHandComputation() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        GuidanceSetup setup = GuidanceSetup.of("a smiling face", "", options(GuidanceObjective.DDS, "a face"));
        int[] t = {100, 700};
        float[] g = gradient(teacher, setup, Y_EDITED, Y, t);
        for (int i = 0; i < 8; i++) {
            double ab = teacher.discreteSchedule().alphaBar(t[i / 4]);
            // eps = 0: each branch is s k sqrt(ab) y (uncond 0); g = (1 - ab) s k sqrt(ab) (y' - y)
            double expected = (1 - ab) * 7 * 0.5 * Math.sqrt(ab) * (Y_EDITED[i] - Y[i]);
            assertThat((double) g[i]).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void nfsdMatchesAHandComputation() {
        FakeTeacher teacher = new FakeTeacher(0.5f, 1, 2);
        GuidanceSetup setup = GuidanceSetup.of("a smiling face", "a frowning face", options(GuidanceObjective.NFSD, ""));
        int[] t = {100, 700};
        float[] g = gradient(teacher, setup, Y_EDITED, Y, t);
        for (int i = 0; i < 8; i++) {
            double ab = teacher.discreteSchedule().alphaBar(t[i / 4]);
            double x = Math.sqrt(ab) * Y_EDITED[i];
            // guided = s k x; below t = 200 that is all, above it the negative prompt's k x is subtracted
            double direction = t[i / 4] < 200 ? 7 * 0.5 * x : 7 * 0.5 * x - 0.5 * x;
            assertThat((double) g[i]).isCloseTo((1 - ab) * direction, within(1e-6));
        }
    }

    @Test
    void ddsWithoutSourceOrNegativePromptIsRefused() {
        assertThatThrownBy(() -> GuidanceSetup.of("a smiling face", "", options(GuidanceObjective.DDS, "")))
                .hasMessageContaining("--source-prompt");
        assertThat(GuidanceSetup.of("a smiling face", "a frowning face", options(GuidanceObjective.DDS, ""))
                .sourcePrompt()).isEqualTo("a frowning face");
    }

    /** A fake teacher that records every prompt it embeds. */
    static final class RecordingTeacher extends FakeTeacher {
        final List<String> prompts = new ArrayList<>();

        RecordingTeacher() {
            super(0.1f, 3, 16);
        }

        @Override
        public NDArray embed(List<String> p, NDManager m) {
            prompts.addAll(p);
            return super.embed(p, m);
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void theSearchAndTheDistillerEncodeTheSamePrompts() {
        for (GuidanceObjective objective : GuidanceObjective.values()) {
            RecordingTeacher distilled = new RecordingTeacher();
            DistillOptions o = DistillOptions.builder().steps(1).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                    .previewEvery(0).sds(DistillOptions.defaults().sds().withObjective(objective)
                            .withSourcePrompt("a face").withGuidanceScale(30f)).build();
            DistillRequest r = new DistillRequest("smiling", "a smiling face", "a frowning face", distilled,
                    new FaceWorld(3, 100, 16), TimestepSelection.fixed("a smiling face", List.of(300)), o,
                    dir.resolve(objective.name()), null, null);
            SelectionOptions search = SelectionOptions.defaults().withCandidates(List.of(300, 600))
                    .withGuidanceOf(r.negativePrompt(), o.sds());
            assertThat(GuidanceSetup.forSearch(r.prompt(), search)).as(objective.name())
                    .isEqualTo(GuidanceSetup.forDistillation(r));
            // and what each encodes with a teacher is the same list of prompts
            RecordingTeacher searched = new RecordingTeacher();
            new HqsSelector(manager).select(searched, r.prompt(), FaceWorld.images(new FaceWorld(3, 4, 16).faces(0, 2)),
                    search);
            new SddDistiller(manager).distill(r);
            assertThat(searched.prompts).as(objective.name()).isEqualTo(distilled.prompts)
                    .contains("a frowning face");
        }
    }
}
