package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM during teacher training stops cleanly: checkpoint kept, exit 130, no JVM crash file. */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void sigtermDuringTrainingCheckpointsAndExits130() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path work = dir.resolve("t.work");
        Process p = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp",
                System.getProperty("java.class.path"), SddCommand.class.getName(), "train-teacher", "--steps", "100000",
                "--batch", "4", "--width", "8", "--sample-every", "0", "--out", dir.resolve("t").toString())
                .directory(dir.toFile()).redirectOutput(dir.resolve("out.log").toFile())
                .redirectError(dir.resolve("err.log").toFile()).start();
        try {
            // wait until training runs (the work folder appears), then let it take some steps
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(work.resolve(".sdd-work")) && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(p.isAlive()).as("still training: " + Files.readString(dir.resolve("err.log"))).isTrue();
            Thread.sleep(3000);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("err.log"));
            assertThat(p.exitValue()).as(err).isEqualTo(130);
            assertThat(err).contains("stopped at step").contains("run the same command again to resume");
            assertThat(work.resolve("checkpoint.bin")).exists();
            assertThat(dir.resolve("t")).doesNotExist();
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
