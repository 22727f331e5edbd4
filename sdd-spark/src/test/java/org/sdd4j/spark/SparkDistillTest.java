package org.sdd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.Editor;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.tck.TckFixtures;

/** Two edits distilled as two Spark tasks end up in one bundle. */
@Tag("spark")
class SparkDistillTest {

    @TempDir
    static Path dir;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTests.session();
    }

    @AfterAll
    static void stop() {
        SparkTests.release();
    }

    static final java.util.concurrent.atomic.AtomicInteger READS = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicBoolean FAILED = new java.util.concurrent.atomic.AtomicBoolean();
    static final int STEPS = 60;
    static final int FAIL_AT_READ = 55 * 8;

    /** The kit's data, failing once after about 55 steps (past the checkpoint at step 50). */
    static org.sdd4j.api.TrainingData failingOnce() {
        org.sdd4j.api.TrainingData d = TckFixtures.data();
        return new org.sdd4j.api.TrainingData() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public org.sdd4j.api.CaptionedImage get(int index) {
                if (READS.incrementAndGet() == FAIL_AT_READ && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("executor lost (test)");
                }
                return d.get(index);
            }

            @Override
            public String describe() {
                return d.describe();
            }
        };
    }

    @Test
    void aFailedTaskIsRetriedAndResumesFromItsCheckpoint() {
        Path teacher = TckFixtures.copy("teacher", dir.resolve("teacher-retry"));
        Path out = dir.resolve("editor-retry");
        READS.set(0);
        SddSpark.distill(spark, TeacherSource.of(teacher), SparkDistillTest::failingOnce,
                List.of(new DistillJob("smiling", "a smiling face", "", STEPS, 3, List.of(300, 500))), out, false);
        assertThat(FAILED).isTrue();
        try (Editor editor = Editor.load(out)) {
            assertThat(editor.edits()).containsExactly("smiling");
        }
        // a restart from scratch would read 60 more steps of images after the failure; resuming at step 50
        // reads about 10
        int afterFailure = READS.get() - FAIL_AT_READ;
        assertThat(afterFailure).isLessThan((STEPS - 50 + 10) * 8);
    }

    @Test
    void twoEditsInParallelMergeIntoOneBundle() {
        Path teacher = TckFixtures.copy("teacher", dir.resolve("teacher"));
        Path out = dir.resolve("editor");
        List<DistillJob> jobs = List.of(
                new DistillJob("smiling", "a smiling face", "a frowning face", 4, 1, List.of(300, 500)),
                new DistillJob("frowning", "a frowning face", "a smiling face", 4, 2, List.of(300, 500)));
        SddSpark.distill(spark, TeacherSource.of(teacher), TckFixtures::data, jobs, out, false);

        assertThat(EditorBundle.readVerified(out).path("edits").has("smiling")).isTrue();
        try (Editor editor = Editor.load(out)) {
            assertThat(editor.edits()).containsExactlyInAnyOrder("smiling", "frowning");
            assertThat(editor.edit(TckFixtures.image("inputs/face-16.png"), "frowning").getWidth()).isEqualTo(16);
        }
        // the bundle now has both: distilling one again is refused before any work, unless replaced
        assertThatThrownBy(() -> SddSpark.distill(spark, TeacherSource.of(teacher), TckFixtures::data,
                jobs.subList(0, 1), out, false)).hasMessageContaining("already has the edit 'smiling'");
    }
}
