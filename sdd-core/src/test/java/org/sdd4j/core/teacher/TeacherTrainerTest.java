package org.sdd4j.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
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

    @Test
    void aFewDozenStepsReduceTheLoss() {
        List<Double> losses = new ArrayList<>();
        trainer(60, dir.resolve("w"), p -> losses.add(p.losses().get("loss"))).train(dir.resolve("t"), manager);
        double first = losses.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.subList(50, 60).stream().mapToDouble(d -> d).average().orElseThrow();
        assertThat(last).isLessThan(0.8 * first);
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
        assertThat(AtomicFiles.sha256(dir.resolve("b").resolve(UNetTeacher.WEIGHTS)))
                .isEqualTo(AtomicFiles.sha256(dir.resolve("a").resolve(UNetTeacher.WEIGHTS)));
    }
}
