package org.sdd4j.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.EditorBundle;

/** The distiller's bookkeeping with a cheap fake teacher: bundle output, exact resume, NaN stop. */
class SddDistillerTest extends EngineTest {


    @TempDir
    Path dir;



    private DistillRequest request(DiffusionTeacher teacher, int steps, String out, String work) {
        return request(teacher, steps, out, work, 0f);
    }

    private DistillRequest request(DiffusionTeacher teacher, int steps, String out, String work, float ema) {
        return request(teacher, steps, out, work, ema, "");
    }

    private DistillRequest request(DiffusionTeacher teacher, int steps, String out, String work, float ema,
            String keepCaptions) {
        return request(teacher, steps, out, work, ema, keepCaptions, 0f);
    }

    private DistillRequest request(DiffusionTeacher teacher, int steps, String out, String work, float ema,
            String keepCaptions, float criticWeight) {
        return request(teacher, small(steps).emaDecay(ema).keepCaptions(keepCaptions).criticWeight(criticWeight), out,
                work);
    }

    /** Options of a short, cheap run. */
    private static DistillOptions.Builder small(int steps) {
        return DistillOptions.builder().steps(steps).batchSize(2).manipulatorWidth(4).checkpointEvery(2)
                .previewEvery(0);
    }

    private DistillRequest request(DiffusionTeacher teacher, DistillOptions.Builder o, String out, String work) {
        return new DistillRequest("edit", "a prompt", "", teacher, new FaceWorld(3, 1000, 16),
                TimestepSelection.fixed("a prompt", List.of(300, 600)), o.build(), dir.resolve(out), dir.resolve(work),
                null);
    }

    @Test
    void writesALoadableBundleAndResumesExactly() {
        FakeTeacher teacher = new FakeTeacher(0.01f, 3, 16);
        new SddDistiller(manager).distill(request(teacher, 4, "a", "a-work"));
        new SddDistiller(manager).distill(request(teacher, 2, "b-partial", "b-work"));
        new SddDistiller(manager).distill(request(teacher, 4, "b", "b-work"));
        String a = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("a"), "edit"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b"), "edit"))).isEqualTo(a);
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("a"), manager)) {
            assertThat(e.edits()).containsExactly("edit");
            assertThat(e.manifest().path("edits").path("edit").path("selection").path("selected").toString())
                    .isEqualTo("[300,600]");
            // the guidance objective is recorded with the training options (default: NFSD)
            assertThat(e.manifest().at("/edits/edit/training/options/sds/objective").asText()).isEqualTo("NFSD");
            // where the training pictures have their subject, recorded with the edit
            float[] expected = FramingTemplate.of(new FaceWorld(3, 1000, 16), 16).values();
            assertThat(e.framingTemplate("edit")).get().satisfies(t -> assertThat(t.values()).containsExactly(
                    expected, within(2e-4f)));
        }
    }

    @Test
    void withAnAverageStoresTheAverageAndResumesExactly() {
        FakeTeacher teacher = new FakeTeacher(0.01f, 3, 16);
        new SddDistiller(manager).distill(request(teacher, 4, "plain", "plain-work"));
        new SddDistiller(manager).distill(request(teacher, 4, "a", "a-work", 0.9f));
        new SddDistiller(manager).distill(request(teacher, 2, "b-partial", "b-work", 0.9f));
        new SddDistiller(manager).distill(request(teacher, 4, "b", "b-work", 0.9f));
        String a = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("a"), "edit"));
        // the average is checkpointed with the weights, so a resumed run stores the same average
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b"), "edit"))).isEqualTo(a);
        // the average does not change the training itself, only what is stored
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("plain"), "edit"))).isNotEqualTo(a);
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("a"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/options/emaDecay").floatValue()).isEqualTo(0.9f);
        }
    }

    @Test
    void imagesWhoseCaptionShowsTheTargetGetNoGuidance() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        new SddDistiller(manager).distill(request(teacher, 4, "plain", "plain-work"));
        // a pattern no caption matches changes nothing
        new SddDistiller(manager).distill(request(teacher, 4, "none", "none-work", 0f, "no caption says this"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("none"), "edit")))
                .isEqualTo(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("plain"), "edit")));
        // one every caption matches (FaceWorld's say "face"): no guidance reaches any image
        new SddDistiller(manager).distill(request(teacher, 4, "all", "all-work", 0f, "FACE"));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("all"), manager);
                ManipulatorEditor plain = ManipulatorEditor.load(dir.resolve("plain"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/final_sds_grad_l1").asDouble()).isZero();
            assertThat(plain.manifest().at("/edits/edit/training/final_sds_grad_l1").asDouble()).isPositive();
            assertThat(e.manifest().at("/edits/edit/training/options/keepCaptions").asText()).isEqualTo("FACE");
            // every image shows the target: no colour tells them from the rest
            assertThat(e.targetColours("edit")).isEmpty();
            assertThat(plain.manifest().has("targetColours")).isFalse();
            assertThat(plain.targetColours("edit")).isEmpty();
        }
        // faces captioned blond: the sand of their hair is theirs alone
        new SddDistiller(manager).distill(request(teacher, 2, "blond", "blond-work", 0f, "blond"));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("blond"), manager)) {
            assertThat(e.targetColours("edit")).containsExactly(new int[] {238, 208, 120});
        }
        assertThatThrownBy(() -> DistillOptions.builder().keepCaptions("smiling|(happy").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keep-captions")
                .hasMessageContaining("not a regular expression");
    }

    @Test
    void theCriticIsCheckpointedWithTheManipulatorAndChangesTheEdit() {
        FakeTeacher teacher = new FakeTeacher(0.01f, 3, 16);
        new SddDistiller(manager).distill(request(teacher, 4, "keep", "keep-work", 0f, "blond"));
        new SddDistiller(manager).distill(request(teacher, 4, "a", "a-work", 0f, "blond", 5f));
        new SddDistiller(manager).distill(request(teacher, 2, "b-partial", "b-work", 0f, "blond", 5f));
        new SddDistiller(manager).distill(request(teacher, 4, "b", "b-work", 0f, "blond", 5f));
        String a = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("a"), "edit"));
        // the critic's weights and optimiser are in the checkpoint: the resumed run continues exactly
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b"), "edit"))).isEqualTo(a);
        // its gradient reaches the manipulator
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("keep"), "edit"))).isNotEqualTo(a);
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("a"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/options/criticWeight").floatValue()).isEqualTo(5f);
            assertThat(e.manifest().at("/edits/edit/training/final_critic").asDouble()).isPositive();
            assertThat(e.manifest().at("/edits/edit/training/criticStepsSkippedThisRun").asInt(-1)).isZero();
        }
        // a checkpoint without a critic is not resumed by a run that trains one (and the other way round)
        assertThatThrownBy(() -> new SddDistiller(manager).distill(request(teacher, 6, "c", "keep-work", 0f, "blond",
                5f))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    }

    private DistillRequest refined(DiffusionTeacher teacher, int steps, int refineSteps, String out, String work) {
        return request(teacher, small(steps).refinement(new org.sdd4j.api.Refinement(refineSteps, 0.1, 3f, 4)), out,
                work);
    }

    @Test
    void theRefinementChangesTheEditIsRecordedAndResumesExactly() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        new SddDistiller(manager).distill(request(teacher, 4, "plain", "plain-work"));
        new SddDistiller(manager).distill(refined(teacher, 4, 4, "a", "a-work"));
        // stopped inside the refinement, then resumed with the full count
        new SddDistiller(manager).distill(refined(teacher, 4, 2, "b-partial", "b-work"));
        new SddDistiller(manager).distill(refined(teacher, 4, 4, "b", "b-work"));
        // a finished run refined later: its guided steps resume from their checkpoint (nothing to redo)
        new SddDistiller(manager).distill(refined(teacher, 4, 4, "c", "plain-work"));
        String a = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("a"), "edit"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b"), "edit"))).isEqualTo(a);
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("c"), "edit"))).isEqualTo(a);
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("plain"), "edit"))).isNotEqualTo(a);
        assertThat(Files.exists(dir.resolve("a-work").resolve("refine").resolve("checkpoint.bin"))).isTrue();
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("a"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/options/refinement/steps").asInt()).isEqualTo(4);
            assertThat(e.manifest().at("/edits/edit/training/options/refinement/strength").asDouble()).isEqualTo(0.1);
            assertThat(e.manifest().at("/edits/edit/training/final_refine").asDouble()).isPositive();
        }
        // a progress bar counts the refinement's steps after the guided ones
        List<org.sdd4j.api.TrainingProgress> seen = new java.util.ArrayList<>();
        DistillRequest e = refined(teacher, 4, 4, "e", "e-work");
        new SddDistiller(manager).distill(new DistillRequest(e.edit(), e.prompt(), e.negativePrompt(), teacher, e.data(),
                e.selection(), e.options(), e.outputDir(), e.workDir(), seen::add));
        assertThat(seen).extracting(org.sdd4j.api.TrainingProgress::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(seen).extracting(org.sdd4j.api.TrainingProgress::totalSteps).containsOnly(4, 8);
        assertThat(seen.get(7).totalSteps()).isEqualTo(e.options().totalSteps());
        assertThat(seen.get(7).losses()).containsKey("refine");
        // another strength is another refinement: its checkpoint is not resumed
        DistillRequest other = refined(teacher, 4, 4, "d", "a-work");
        DistillRequest stronger = new DistillRequest(other.edit(), other.prompt(), other.negativePrompt(), teacher,
                other.data(), other.selection(), other.options().toBuilder()
                        .refinement(new org.sdd4j.api.Refinement(4, 0.2, 3f, 4)).build(),
                other.outputDir(), other.workDir(), null);
        assertThatThrownBy(() -> new SddDistiller(manager).distill(stronger))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    }

    @Test
    void theMaskFloorActsWhenEditingSoTheGuidedStepsResumeUnderAnotherFloorAndTheRefinementTrainsWithIt() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        org.sdd4j.api.Refinement refine = new org.sdd4j.api.Refinement(3, 0.1, 3f, 4);
        new SddDistiller(manager).distill(request(teacher, small(4), "plain", "w"));
        List<String> messages = new java.util.ArrayList<>();
        DistillRequest f = request(teacher, small(4).maskFloor(0.3f).refinement(refine), "f", "w");
        new SddDistiller(manager).distill(new DistillRequest(f.edit(), f.prompt(), f.negativePrompt(), teacher,
                f.data(), f.selection(), f.options(), f.outputDir(), f.workDir(),
                new org.sdd4j.api.ProgressListener() {
                    @Override
                    public void onStep(org.sdd4j.api.TrainingProgress p) {}

                    @Override
                    public void onMessage(String message) {
                        messages.add(message);
                    }
                }));
        // the guided steps did not depend on the floor: their finished checkpoint was resumed, not redone
        assertThat(messages).anyMatch(m -> m.contains("resumed") && m.contains("at step 4"));
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(refine), "n", "w0"));
        // the refinement trains the edit as applied, with the floor
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("f"), "edit")))
                .isNotEqualTo(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("n"), "edit")));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("f"), manager)) {
            assertThat(e.manifest().at("/edits/edit/maskFloor").floatValue()).isEqualTo(0.3f);
            assertThat(e.manifest().at("/edits/edit/training/options/maskFloor").floatValue()).isEqualTo(0.3f);
        }
        // another floor is another refinement: its checkpoint is not resumed
        assertThatThrownBy(() -> new SddDistiller(manager).distill(request(teacher,
                small(4).maskFloor(0.2f).refinement(refine), "g", "w")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    }

    @Test
    void aSecondRoundRedrawsFromTheFirstRoundsEditAndResumesExactly() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        org.sdd4j.api.Refinement one = new org.sdd4j.api.Refinement(3, 0.1, 3f, 4);
        org.sdd4j.api.Refinement two = one.withRounds(2);
        List<org.sdd4j.api.TrainingProgress> seen = new java.util.ArrayList<>();
        DistillRequest a = request(teacher, small(4).refinement(two), "a", "a-work");
        new SddDistiller(manager).distill(new DistillRequest(a.edit(), a.prompt(), a.negativePrompt(), teacher,
                a.data(), a.selection(), a.options(), a.outputDir(), a.workDir(), seen::add));
        // stopped inside the second round, then resumed: the first round's final checkpoint is loaded, the second
        // round's pool redrawn from it, and the second round continues from its own checkpoint
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(one), "b-one", "b-work"));
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(two.withSteps(3)), "b", "b-work"));
        String twoRounds = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("a"), "edit"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b"), "edit"))).isEqualTo(twoRounds);
        // the second round changed the edit, and each round has its own checkpoint
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("b-one"), "edit"))).isNotEqualTo(twoRounds);
        assertThat(dir.resolve("a-work").resolve("refine").resolve("checkpoint.bin")).exists();
        assertThat(dir.resolve("a-work").resolve("refine-2").resolve("checkpoint.bin")).exists();
        // a progress bar counts both rounds after the guided steps
        assertThat(seen).extracting(org.sdd4j.api.TrainingProgress::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(seen.get(9).totalSteps()).isEqualTo(10).isEqualTo(a.options().totalSteps());
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("a"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/options/refinement/rounds").asInt()).isEqualTo(2);
            assertThat(e.manifest().at("/edits/edit/training/final_refine").asDouble()).isPositive();
        }
        assertThatThrownBy(() -> one.withRounds(0)).hasMessageContaining("--refine-rounds");
        assertThatThrownBy(() -> one.withRounds(org.sdd4j.api.Refinement.MAX_ROUNDS + 1))
                .hasMessageContaining("--refine-rounds");
    }

    @Test
    void aRefinementThatKeepsTheGuidanceTrainsOnBothResumesExactlyAndIsRecorded() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        org.sdd4j.api.Refinement kept = new org.sdd4j.api.Refinement(4, 0.1, 3f, 4, 0.5f);
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(kept), "k", "k-work"));
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(kept.withSteps(2)), "k2-partial",
                "k2-work"));
        new SddDistiller(manager).distill(request(teacher, small(4).refinement(kept), "k2", "k2-work"));
        new SddDistiller(manager).distill(refined(teacher, 4, 4, "r", "r-work"));
        String k = AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("k"), "edit"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("k2"), "edit"))).isEqualTo(k);
        // the guided loss changes what the refinement learns
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("r"), "edit"))).isNotEqualTo(k);
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("k"), manager)) {
            assertThat(e.manifest().at("/edits/edit/training/options/refinement/guidedWeight").floatValue())
                    .isEqualTo(0.5f);
            assertThat(e.manifest().at("/edits/edit/training/final_refine").asDouble()).isPositive();
            assertThat(e.manifest().at("/edits/edit/training/final_refine_sds_grad_l1").asDouble()).isPositive();
            assertThat(e.manifest().at("/edits/edit/training/final_sds_grad_l1").asDouble()).isPositive();
        }
        // another weight is another refinement: its checkpoint is not resumed
        assertThatThrownBy(() -> new SddDistiller(manager).distill(request(teacher,
                small(4).refinement(kept.withGuidedWeight(0.25f)), "k3", "k-work")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
        assertThatThrownBy(() -> kept.withGuidedWeight(-1f)).hasMessageContaining("--refine-guided-weight");
        assertThatThrownBy(() -> kept.withGuidedWeight(Float.NaN)).hasMessageContaining("--refine-guided-weight");
    }

    @Test
    void theKeptGuidanceIncludesTheRunsCriticWhichNoLongerLearnsSoTheRefinementResumesExactly() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        org.sdd4j.api.Refinement kept = new org.sdd4j.api.Refinement(4, 0.1, 3f, 4, 0.5f);
        new SddDistiller(manager).distill(request(teacher, small(4).keepCaptions("blond").criticWeight(5f)
                .refinement(kept), "k", "k-work"));
        // stopped inside the refinement, whose checkpoint holds no critic, then resumed: the critic it sees is the
        // guided steps' final one in both runs only if the refinement does not train it
        new SddDistiller(manager).distill(request(teacher, small(4).keepCaptions("blond").criticWeight(5f)
                .refinement(kept.withSteps(2)), "k2-partial", "k2-work"));
        new SddDistiller(manager).distill(request(teacher, small(4).keepCaptions("blond").criticWeight(5f)
                .refinement(kept), "k2", "k2-work"));
        assertThat(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("k2"), "edit")))
                .isEqualTo(AtomicFiles.sha256(EditorBundle.weightsFile(dir.resolve("k"), "edit")));
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("k"), manager)) {
            // the critic's fooling loss is part of the refinement's kept guidance
            assertThat(e.manifest().at("/edits/edit/training/final_refine_critic").asDouble()).isPositive();
            assertThat(e.manifest().at("/edits/edit/training/final_critic").asDouble()).isPositive();
        }
    }

    @Test
    void theRefinementNeverWritesIntoAFolderItDidNotCreate() throws Exception {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        // a user's own folder where the refinement would keep its checkpoints
        assertRefusedBeforeAnyTraining("refine", refined(teacher, 2, 2, "f", "f-work"));
        // and where its second round would
        assertRefusedBeforeAnyTraining("refine-2", request(teacher,
                small(2).refinement(new org.sdd4j.api.Refinement(2, 0.1, 3f, 4).withRounds(2)), "r", "r-work"));
    }

    /**
     * A user's folder named {@code folder} inside the request's work folder makes the run fail before any training,
     * left as it was, with no bundle and no checkpoint written.
     */
    private void assertRefusedBeforeAnyTraining(String folder, DistillRequest r) throws Exception {
        Path mine = r.workDir().resolve(folder);
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> new SddDistiller(manager).distill(r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a work folder");
        assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("mine");
        try (var files = Files.list(mine)) {
            assertThat(files).containsExactly(mine.resolve("notes.txt"));
        }
        assertThat(Files.exists(r.outputDir())).as("no bundle written").isFalse();
        // refused before the guided steps: no checkpoint of theirs, nor of an earlier round
        assertThat(Files.exists(r.workDir().resolve("checkpoint.bin"))).isFalse();
        assertThat(Files.exists(r.workDir().resolve("refine").resolve("checkpoint.bin"))).isFalse();
    }

    @Test
    void theCriticNeedsCaptionsThatShowTheTarget() {
        assertThatThrownBy(() -> DistillOptions.builder().criticWeight(1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keep-captions");
        assertThatThrownBy(() -> DistillOptions.builder().keepCaptions("x").criticWeight(-1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--critic-weight");
        assertThatThrownBy(() -> DistillOptions.builder().keepCaptions("x").criticWeight(Float.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--critic-weight");
        FakeTeacher teacher = new FakeTeacher(0.01f, 3, 16);
        assertThatThrownBy(() -> new SddDistiller(manager).distill(request(teacher, 2, "n", "n-work", 0f,
                "no caption says this", 1f))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found no training image whose caption matches")
                .hasMessageContaining("'no caption says this'");
        assertThat(Files.exists(dir.resolve("n"))).isFalse();
    }

    @Test
    void refusesADecayOutsideZeroToOne() {
        assertThatThrownBy(() -> DistillOptions.builder().emaDecay(1f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(emaDecay, --ema) must be in [0, 1)");
        assertThatThrownBy(() -> DistillOptions.builder().emaDecay(Float.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nanStopsWithAClearMessageAndKeepsTheLastCheckpoint() {
        FakeTeacher nan = new FakeTeacher(Float.NaN, 3, 16);
        assertThatThrownBy(() -> new SddDistiller(manager).distill(request(nan, 4, "n", "n-work")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("non-finite")
                .hasMessageContaining("step 1").hasMessageContaining("no checkpoint had been written yet");
        assertThat(Files.exists(dir.resolve("n"))).as("no bundle from a failed run").isFalse();
    }

    @org.junit.jupiter.api.Test
    void defaultWorkingResolutionIsTheTeachersSizeUpTo128ThenADivisor() {
        org.assertj.core.api.Assertions.assertThat(SddDistiller.defaultWorkingResolution(32)).isEqualTo(32);
        org.assertj.core.api.Assertions.assertThat(SddDistiller.defaultWorkingResolution(128)).isEqualTo(128);
        org.assertj.core.api.Assertions.assertThat(SddDistiller.defaultWorkingResolution(512)).isEqualTo(128);
        org.assertj.core.api.Assertions.assertThat(SddDistiller.defaultWorkingResolution(768)).isEqualTo(128);
        org.assertj.core.api.Assertions.assertThat(SddDistiller.defaultWorkingResolution(1000)).isEqualTo(100);
    }
}
