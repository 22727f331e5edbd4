package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.tck.TckFixtures;

/** distill and search refuse a teacher not measured on the prompt; --force goes on with a warning. */
class ReadinessGateTest {

    @TempDir
    Path dir;

    @Test
    void anUnmeasuredTeacherIsRefusedAndForceOverridesIt() {
        Path teacher = TckFixtures.copy("teacher", dir.resolve("teacher"));
        String[] distill = {"distill", "--teacher", teacher.toString(), "--edit", "smiling", "--prompt", "a smiling face",
            "--timesteps", "300", "--steps", "1", "--batch", "1", "--out", dir.resolve("editor").toString()};
        Cli.Run refused = Cli.run(distill);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("never measured on \"a smiling face\"").contains("sdd evaluate-teacher");
        assertThat(dir.resolve("editor")).doesNotExist();

        String[] forced = java.util.Arrays.copyOf(distill, distill.length + 1);
        forced[distill.length] = "--force";
        Cli.Run ok = Cli.run(forced);
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("warning: teacher").contains("going on: --force");
        assertThat(dir.resolve("editor").resolve("manifest.json")).isRegularFile();

        Cli.Run search = Cli.run("search", "--teacher", teacher.toString(), "--prompt", "a smiling face", "--out",
                dir.resolve("search").toString());
        assertThat(search.status()).isEqualTo(1);
        assertThat(search.err()).contains("never measured");
    }

    @Test
    void theEmbeddedTeacherPassesForItsMeasuredPrompts() {
        Cli.Run r = Cli.run("search", "--prompt", "a smiling face", "--samples", "2", "--out",
                dir.resolve("search").toString());
        assertThat(r.status()).as(r.err()).isZero();
        Cli.Run unknown = Cli.run("search", "--prompt", "a purple dragon", "--samples", "2", "--out",
                dir.resolve("search2").toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("never measured on \"a purple dragon\"").contains("\"a smiling face\"");
    }
}
