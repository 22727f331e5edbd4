package org.sdd4j.backend.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/export-stable-diffusion.py, run by tools/make-mini-sd.py on the miniature pipeline (diffusers'
 * attribute names, torch only), writes exactly the committed fixture the Java teacher is tested on:
 * the export script works and the fixture and its references come from the committed scripts. Needs a
 * python3 with torch (Debian's python3-torch; .ci/run installs it).
 */
class ExportScriptTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path FIXTURE = Path.of("src/test/resources/org/sdd4j/backend/pytorch/mini-sd");

    @TempDir
    Path dir;

    static boolean torchAvailable() {
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Same structure and numbers within 1e-4 (float rounding differs between runs and CPUs). */
    static void assertSameNumbers(com.fasterxml.jackson.databind.JsonNode a, com.fasterxml.jackson.databind.JsonNode b,
            String where) {
        if (a.isNumber() && b.isNumber()) {
            assertThat(a.asDouble()).as(where).isCloseTo(b.asDouble(), org.assertj.core.data.Offset.offset(
                    1e-4 * Math.max(1, Math.abs(b.asDouble()))));
            return;
        }
        assertThat(a.getNodeType()).as(where).isEqualTo(b.getNodeType());
        assertThat(a.size()).as(where).isEqualTo(b.size());
        if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) {
                assertSameNumbers(a.get(i), b.get(i), where + "[" + i + "]");
            }
        } else if (a.isObject()) {
            a.fieldNames().forEachRemaining(k -> assertSameNumbers(a.get(k), b.get(k), where + "." + k));
        } else {
            assertThat(a).as(where).isEqualTo(b);
        }
    }

    @Test
    void theExportScriptRebuildsTheCommittedFixture() throws IOException, InterruptedException {
        assumeTrue(torchAvailable(), "needs /usr/bin/python3 with torch (apt-get install python3-torch)");
        Path out = dir.resolve("mini-sd");
        Process p = new ProcessBuilder(PYTHON.toString(), Path.of("../tools/make-mini-sd.py").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the script finishes").isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        List<String> files = Files.readAllLines(FIXTURE.resolve("index.txt")).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        assertThat(Files.readAllLines(out.resolve("index.txt")).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList()).isEqualTo(files);
        for (String f : files) {
            if (f.endsWith(".pt") || f.endsWith("manifest.json")) {
                continue; // TorchScript records the script's path; compared by what the modules compute below
            }
            if (f.startsWith("references")) {
                assertSameNumbers(org.sdd4j.core.io.Json.read(out.resolve(f)),
                        org.sdd4j.core.io.Json.read(FIXTURE.resolve(f)), f);
                continue;
            }
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(FIXTURE.resolve(f)));
        }
        for (String variant : List.of("eps", "v")) {
            com.fasterxml.jackson.databind.node.ObjectNode built = (com.fasterxml.jackson.databind.node.ObjectNode)
                    org.sdd4j.core.io.Json.read(out.resolve(variant).resolve("manifest.json"));
            com.fasterxml.jackson.databind.node.ObjectNode committed = (com.fasterxml.jackson.databind.node.ObjectNode)
                    org.sdd4j.core.io.Json.read(FIXTURE.resolve(variant).resolve("manifest.json"));
            built.remove("files");
            committed.remove("files");
            assertThat(built).as(variant + " manifest").isEqualTo(committed);
            try (ai.djl.ndarray.NDManager m = PyTorchBackend.newRootManager();
                    StableDiffusionTeacher a = StableDiffusionTeacher.load(out.resolve(variant), m);
                    StableDiffusionTeacher b = StableDiffusionTeacher.load(FIXTURE.resolve(variant), m)) {
                ai.djl.ndarray.NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 4, 8, 8));
                ai.djl.ndarray.NDArray img = m.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(1, 3, 64, 64));
                List<String> prompts = List.of("a smiling face", "");
                int[] t = {100, 900};
                assertThat(a.predict(x, t, a.embed(prompts, m)).toFloatArray())
                        .containsExactly(b.predict(x, t, b.embed(prompts, m)).toFloatArray());
                assertThat(a.toTeacherSpace(img).toFloatArray()).containsExactly(b.toTeacherSpace(img).toFloatArray());
                assertThat(a.toImages(x).toFloatArray()).containsExactly(b.toImages(x).toFloatArray());
            }
        }
        // the export refuses to write into an existing folder
        Process again = new ProcessBuilder(PYTHON.toString(), Path.of("../tools/make-mini-sd.py").toString(),
                out.toString()).redirectErrorStream(true).start();
        String second = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isNotZero();
        assertThat(second).contains("exists; choose a new folder");
    }
}
