package org.sdd4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Dense;
import org.sdd4j.core.testing.EngineTest;

/** Checkpoints with and without a companion model, and those of the previous version. */
class CheckpointTest extends EngineTest {

    @TempDir
    Path dir;

    private static Dense dense(float value) {
        Dense d = new Dense(3, 2);
        d.initialize(manager);
        d.getParameters().forEach(p -> p.getValue().getArray().subi(p.getValue().getArray()).addi(value));
        return d;
    }

    private static float first(Dense d) {
        return d.getParameters().get(0).getValue().getArray().toFloatArray()[0];
    }

    @Test
    void aCompanionIsRestoredWithTheModel() {
        Dense model = dense(1f);
        Dense critic = dense(2f);
        Map<String, List<Double>> history = new LinkedHashMap<>(Map.of("loss", List.of(0.5)));
        try (AdamW opt = new AdamW(model, manager, 1e-3f, 0f); AdamW copt = new AdamW(critic, manager, 1e-3f, 0f)) {
            Path file = dir.resolve("c.bin");
            Checkpoint.save(file, "fp", 7, model, opt, null, history, new Checkpoint.Companion("critic", critic, copt));
            Dense model2 = dense(0f);
            Dense critic2 = dense(0f);
            try (AdamW opt2 = new AdamW(model2, manager, 1e-3f, 0f);
                    AdamW copt2 = new AdamW(critic2, manager, 1e-3f, 0f)) {
                Checkpoint.State st = Checkpoint.load(file, "fp", model2, manager, opt2, null,
                        new Checkpoint.Companion("critic", critic2, copt2));
                assertThat(st.step()).isEqualTo(7);
                assertThat(first(model2)).isEqualTo(1f);
                assertThat(first(critic2)).isEqualTo(2f);
                // a run without the companion does not take this checkpoint for its own
                assertThatThrownBy(() -> Checkpoint.load(file, "fp", model2, manager, opt2, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("second trained model that this run does not use");
            }
        }
    }

    @Test
    void aCheckpointOfThePreviousVersionStillResumes() throws Exception {
        Dense model = dense(3f);
        try (AdamW opt = new AdamW(model, manager, 1e-3f, 0f)) {
            Path file = dir.resolve("v3.bin");
            Checkpoint.save(file, "fp", 4, model, opt, null, new LinkedHashMap<>());
            // version 2 wrote the same fields without the companion flag at the end
            byte[] b = Files.readAllBytes(file);
            int at = 2 + "SDD-CHECKPOINT".length();
            assertThat(ByteBuffer.wrap(b, at, 4).getInt()).isEqualTo(3);
            ByteBuffer.wrap(b, at, 4).putInt(2);
            Path old = dir.resolve("v2.bin");
            Files.write(old, Arrays.copyOf(b, b.length - 1));
            Dense model2 = dense(0f);
            try (AdamW opt2 = new AdamW(model2, manager, 1e-3f, 0f)) {
                assertThat(Checkpoint.load(old, "fp", model2, manager, opt2, null).step()).isEqualTo(4);
                assertThat(first(model2)).isEqualTo(3f);
                Dense critic = dense(0f);
                try (AdamW copt = new AdamW(critic, manager, 1e-3f, 0f)) {
                    assertThatThrownBy(() -> Checkpoint.load(old, "fp", model2, manager, opt2, null,
                            new Checkpoint.Companion("critic", critic, copt)))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no critic");
                }
            }
        }
    }
}
