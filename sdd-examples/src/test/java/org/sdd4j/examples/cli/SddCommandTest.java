package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SddCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(SddCommand.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void backendsListsPytorchForTrainingAndTensorflowForInferenceOnly() {
        String out = run("backends");
        assertThat(out).containsPattern("pytorch\\s+100\\s+yes\\s+yes\\s+no\\s+cpu\\(\\)");
        assertThat(out).containsPattern("tensorflow\\s+50\\s+yes\\s+no\\s+no\\s+cpu\\(\\)\\s+sdd-teacher-savedmodel");
    }

    @Test
    void aCrashingPluginIsListedWithItsReasonAndHidesNothing() {
        // CrashingPluginBackend (test class path) throws from isAvailable and capabilities
        String out = run("backends");
        assertThat(out).containsPattern("acme\\s+1000\\s+no\\s+-\\s+-\\s+none\\s+isAvailable\\(\\) failed: IllegalStateException:"
                + " acme driver crashed");
        assertThat(out).containsPattern("pytorch\\s+100\\s+yes");
        assertThat(org.sdd4j.api.Backends.best().name()).isEqualTo("pytorch");
    }

    @Test
    void helpListsTheSubcommands() {
        String out = run("--help");
        assertThat(out).contains("backends").contains("train-teacher").contains("evaluate").contains("bench")
                .contains("export");
    }

    @Test
    void trainTeacherHelpStatesTheFolderRecipeOfTheLibrary() {
        org.sdd4j.core.teacher.TeacherOptions f = org.sdd4j.core.teacher.TeacherOptions.folderDefaults();
        String out = run("train-teacher", "--help").replaceAll("\\s+", " ");
        assertThat(out).contains(f.steps() + " for --data").contains(f.batchSize() + " for --data")
                .contains(f.learningRate() + " for --data").contains(f.lrSchedule() + " for --data")
                .contains(f.captionBalance() + " for --data");
    }
}
