package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;

class ReadinessTest {

    @TempDir
    Path dir;

    Path teacher() throws IOException {
        Path t = dir.resolve("teacher");
        Files.createDirectories(t);
        Files.writeString(t.resolve("weights.params"), "weights");
        ObjectNode m = Json.object();
        m.put("format", "sdd-unet");
        m.put("formatVersion", 1);
        m.putObject("files").put("weights.params", AtomicFiles.sha256(t.resolve("weights.params")));
        Json.write(t.resolve(ModelFolder.MANIFEST), m);
        return t;
    }

    @Test
    void anUnmeasuredTeacherIsNotReadyAndTheMessageSaysHowToMeasureIt() throws IOException {
        Readiness.Verdict v = Readiness.check(teacher(), "a smiling face");
        assertThat(v.ready()).isFalse();
        assertThat(v.agreement()).isNaN();
        assertThat(v.message()).contains("never measured").contains("sdd evaluate-teacher").contains("--force");
    }

    @Test
    void recordedAgreementDecidesAndRecordingKeepsTheFiles() throws IOException {
        Path t = teacher();
        ObjectNode e = Json.object();
        e.put("judge", "caption judge");
        e.putObject("captionAgrees").put("a smiling face", 0.85).put("a flag", 0.5);
        Readiness.record(t, e);
        assertThat(Readiness.check(t, "a smiling face").ready()).isTrue();
        Readiness.Verdict low = Readiness.check(t, "a flag");
        assertThat(low.ready()).isFalse();
        assertThat(low.message()).contains("only 50.0%").contains("below the 80%");
        assertThat(Readiness.check(t, "a cat").message()).contains("never measured").contains("\"a smiling face\"");
        // the weights are still listed and intact
        ModelFolder.readVerified(t, "sdd-unet", 1, "teacher");
        assertThat(Files.readString(t.resolve("weights.params"))).isEqualTo("weights");
    }

    @Test
    void theShippedFaceWorldRecordIsRead() throws IOException {
        Path t = teacher();
        ObjectNode m = (ObjectNode) Json.read(t.resolve(ModelFolder.MANIFEST));
        m.putObject("metrics").putObject("evaluateTeacher").putObject("oracleAgrees").put("a smiling face", 0.99);
        Json.write(t.resolve(ModelFolder.MANIFEST), m);
        assertThat(Readiness.check(t, "a smiling face").agreement()).isEqualTo(0.99);
    }
}
