package org.sdd4j.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingProgress;
import org.sdd4j.core.data.Captions;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Json;

class TeacherTrainerTest extends EngineTest {


    @TempDir
    Path dir;



    private static TeacherOptions tiny(int steps) {
        return TeacherOptions.defaults().withSteps(steps).withShape(8, 8, List.of(1, 2), 16).withPeriods(3, 0);
    }

    private TeacherTrainer trainer(int steps, Path work, ProgressListener l) {
        return new TeacherTrainer(tiny(steps), new FaceWorld(1, 10_000, 16), 16, Captions.vocabulary(), work, List.of(),
                l);
    }

    /** The mean of the losses of steps [from, to) (0-based). */
    private static double mean(List<Double> losses, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += losses.get(i);
        }
        return sum / (to - from);
    }

    @Test
    void aFewDozenStepsReduceTheLoss() {
        List<Double> losses = new ArrayList<>();
        trainer(60, dir.resolve("w"), p -> losses.add(p.losses().get("loss"))).train(dir.resolve("t"), manager);
        assertThat(mean(losses, 50, 60)).isLessThan(0.8 * mean(losses, 0, 10));
        try (UNetTeacher t = UNetTeacher.load(dir.resolve("t"), manager)) {
            assertThat(t.space().height()).isEqualTo(16);
        }
    }

    @Test
    void resumingGivesTheSameWeightsAsAnUninterruptedRun() {
        trainer(6, dir.resolve("a-work"), null).train(dir.resolve("a"), manager);
        // "interrupted" after step 3 (its checkpoint), then resumed to step 6 in the same work folder
        trainer(3, dir.resolve("b-work"), null).train(dir.resolve("b-partial"), manager);
        List<String> messages = new ArrayList<>();
        trainer(6, dir.resolve("b-work"), new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {}

            @Override
            public void onMessage(String m) {
                messages.add(m);
            }
        }).train(dir.resolve("b"), manager);
        assertThat(messages).anyMatch(m -> m.contains("at step 3"));
        assertThat(AtomicFiles.sha256(UNetTeacher.weightsFile(dir.resolve("b"))))
                .isEqualTo(AtomicFiles.sha256(UNetTeacher.weightsFile(dir.resolve("a"))));
    }

    @Test
    void weightedMeanMatchesTheHandComputedValue() {
        // two channels, 1x2 pixels; values 1,2 (channel 0) and 3,4 (channel 1); weights 1 and 3
        NDArray v = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
        NDArray w = manager.create(new float[] {1, 3}, new Shape(1, 1, 1, 2));
        // (1*1 + 3*2 + 1*3 + 3*4) / (2 * 4) = 22 / 8
        assertThat(TeacherTrainer.weightedMean(v, w).getFloat()).isCloseTo(2.75f, within(1e-6f));
        NDArray ones = manager.ones(new Shape(1, 1, 1, 2));
        assertThat(TeacherTrainer.weightedMean(v, ones).getFloat()).isCloseTo(v.mean().getFloat(), within(1e-6f));
    }

    @Test
    void regionWeightedTrainingRunsAndRecordsItsWeight() {
        List<Double> losses = new ArrayList<>();
        new TeacherTrainer(tiny(40).withRegionWeight(10), new FaceWorld(1, 10_000, 16), 16, Captions.vocabulary(),
                dir.resolve("w"), List.of(), p -> losses.add(p.losses().get("loss"))).train(dir.resolve("t"), manager);
        assertThat(losses).allMatch(Double::isFinite);
        assertThat(mean(losses, 30, 40)).isLessThan(0.8 * mean(losses, 0, 10));
        assertThat(Json.read(dir.resolve("t/manifest.json")).at("/training/options/regionWeight").asDouble())
                .isEqualTo(10.0);
    }

    @Test
    void startingFromATeacherWithZeroLearningRateKeepsItsWeights() {
        trainer(4, dir.resolve("a-work"), null).train(dir.resolve("a"), manager);
        TeacherOptions frozen = new TeacherOptions(3, 8, 0f, 8, List.of(1, 2), 16, "linear", 1000, 0.1, 0.999f, 3, 0,
                1L, 0, "cosine", 0);
        new TeacherTrainer(frozen, new FaceWorld(2, 100, 16), 16, Captions.vocabulary(), dir.resolve("b-work"),
                List.of(), null).startingFrom(dir.resolve("a")).train(dir.resolve("b"), manager);
        // equal up to the rounding of the weight average (d * w + (1 - d) * w)
        try (UNetTeacher a = UNetTeacher.load(dir.resolve("a"), manager);
                UNetTeacher b = UNetTeacher.load(dir.resolve("b"), manager)) {
            var pa = a.network().getParameters().values();
            var pb = b.network().getParameters().values();
            assertThat(pb).hasSameSizeAs(pa);
            for (int i = 0; i < pa.size(); i++) {
                NDArray diff = pa.get(i).getArray().sub(pb.get(i).getArray()).abs();
                assertThat(diff.max().getFloat()).as(pa.get(i).getName()).isLessThan(1e-6f);
            }
        }
        assertThat(Json.read(dir.resolve("b/manifest.json")).at("/training/startedFrom/sha256").asText())
                .isEqualTo(AtomicFiles.sha256(UNetTeacher.weightsFile(dir.resolve("a"))));
    }

    @Test
    void startingFromATeacherOfAnotherArchitectureIsRefused() {
        trainer(3, dir.resolve("a-work"), null).train(dir.resolve("a"), manager);
        TeacherTrainer wider = new TeacherTrainer(tiny(3).withShape(8, 16, List.of(1, 2), 16),
                new FaceWorld(1, 100, 16), 16, Captions.vocabulary(), dir.resolve("b-work"), List.of(), null)
                .startingFrom(dir.resolve("a"));
        assertThatThrownBy(() -> wider.train(dir.resolve("b"), manager))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("architecture");
    }
}
