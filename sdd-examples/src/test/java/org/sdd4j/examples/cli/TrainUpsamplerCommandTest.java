package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.edit.GuidedUpsampler;

class TrainUpsamplerCommandTest {

    @Test
    void trainsAnUpsamplerAndNeverWritesIntoAForeignFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("up");
        Cli.Run r = Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--steps", "2", "--batch", "1",
                "--data-size", "40", "--blur", "0.75", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("upsampler written to").contains("learned").contains("bilinear");
        assertThat(GuidedUpsampler.check(out, 16).at("/training/sizes/0").asInt()).isEqualTo(64);
        assertThat(GuidedUpsampler.check(out, 16).at("/training/blur").asDouble()).isEqualTo(0.75);
        Path foreign = dir.resolve("mine");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        Cli.Run refused = Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--steps", "1", "--batch",
                "1", "--data-size", "40", "--out", foreign.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(foreign.resolve("manifest.json")).doesNotExist();
        // a size not above the model resolution is refused before any training
        assertThat(Cli.run("train-upsampler", "--resolution", "32", "--sizes", "32", "--out",
                dir.resolve("x").toString()).err()).contains("must exceed the resolution 32");
        assertThat(Cli.run("train-upsampler", "--resolution", "16", "--sizes", "64", "--blur", "9", "--out",
                dir.resolve("y").toString()).err()).contains("blur must be in [0, 4]");
        assertThat(dir.resolve("y")).doesNotExist();
    }
}
