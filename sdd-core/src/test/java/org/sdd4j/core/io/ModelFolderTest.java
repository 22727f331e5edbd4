package org.sdd4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

    @TempDir
    Path dir;

    /** Stands for the process dying at a step: nothing after it runs, not even clean-up. */
    static final class Crash extends Error {
        Crash(String step) {
            super("crash at " + step);
        }
    }

    @AfterEach
    void noHook() {
        ModelFolder.stepHook = s -> {};
    }

    private static ObjectNode manifest(String label) {
        ObjectNode m = Json.object();
        m.put("format", "test-kind");
        m.put("formatVersion", 1);
        m.put("label", label);
        return m;
    }

    /** Writes a folder with one file of the given content; returns the file's name. */
    private static String write(Path target, String content, boolean force) {
        try (ModelFolder f = ModelFolder.open(target, "test-kind", 1, "test folder", force)) {
            String name = f.addFile("data", "bin", out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
            f.commit(manifest(content));
            return name;
        }
    }

    private static String state(Path folder) {
        JsonNode m = ModelFolder.readVerified(folder, "test-kind", 1, "test folder");
        return m.path("label").asText();
    }

    @Test
    void aForeignFolderIsRefusedAndKeptWhole() throws Exception {
        Path x = dir.resolve("x");
        Files.createDirectories(x.resolve("sub"));
        Files.writeString(x.resolve("important.txt"), "mine");
        assertThatThrownBy(() -> write(x, "v1", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty").hasMessageContaining("important.txt").hasMessageContaining("--force");
        assertThat(x.resolve("important.txt")).hasContent("mine");
        assertThat(x.resolve("sub")).isDirectory();
        try (Stream<Path> s = Files.list(x)) {
            assertThat(s.count()).isEqualTo(2);
        }
        // --force adds the files beside the user's, replacing nothing
        write(x, "v1", true);
        assertThat(state(x)).isEqualTo("v1");
        assertThat(x.resolve("important.txt")).hasContent("mine");
        assertThat(x.resolve("sub")).isDirectory();
        // an update of a forced folder removes only what the library listed
        write(x, "v2", false);
        assertThat(state(x)).isEqualTo("v2");
        assertThat(x.resolve("important.txt")).hasContent("mine");
        try (Stream<Path> s = Files.list(x)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("important.txt", "sub", "manifest.json", write(dir.resolve("y"), "v2", false));
        }
    }

    @Test
    void aManifestOfAnotherKindIsNeverReplacedEvenWithForce() throws Exception {
        Path x = dir.resolve("x");
        Files.createDirectories(x);
        Files.writeString(x.resolve("manifest.json"), "{\"format\": \"someone-else\"}");
        assertThatThrownBy(() -> write(x, "v1", true)).hasMessageContaining("someone-else");
        assertThat(x.resolve("manifest.json")).hasContent("{\"format\": \"someone-else\"}");
    }

    @Test
    void aCrashAtAnyStepLeavesTheOldOrTheNewState() {
        for (String step : List.of("file-written", "before-switch", "after-switch")) {
            Path x = dir.resolve("x-" + step);
            write(x, "old", false);
            ModelFolder.stepHook = s -> {
                if (s.equals(step)) {
                    throw new Crash(s);
                }
            };
            ModelFolder f = ModelFolder.open(x, "test-kind", 1, "test folder", false);
            assertThatThrownBy(() -> {
                f.addFile("data", "bin", out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
                f.commit(manifest("new"));
            }).isInstanceOf(Crash.class);
            // no close(): the process is gone
            ModelFolder.stepHook = s -> {};
            assertThat(state(x)).as(step).isEqualTo(step.equals("after-switch") ? "new" : "old");
            // and the next run succeeds on whatever the crash left
            write(x, "next", false);
            assertThat(state(x)).isEqualTo("next");
        }
    }

    @Test
    void aCrashWhileCreatingLeavesNoFolderAndNoBlocker() {
        Path x = dir.resolve("new");
        ModelFolder.stepHook = s -> {
            if (s.equals("before-switch")) {
                throw new Crash(s);
            }
        };
        assertThatThrownBy(() -> write(x, "v1", false)).isInstanceOf(Crash.class);
        ModelFolder.stepHook = s -> {};
        assertThat(x).doesNotExist();
        write(x, "v1", false);
        assertThat(state(x)).isEqualTo("v1");
    }

    @Test
    void pathsInAManifestStayInsideTheFolder() throws Exception {
        Path x = dir.resolve("x");
        write(x, "v1", false);
        Files.writeString(dir.resolve("secret.txt"), "outside");
        for (String bad : List.of("../secret.txt", dir.resolve("secret.txt").toString(), "a/../../secret.txt")) {
            ObjectNode m = manifest("evil");
            m.putObject("files").put(bad, "0");
            Json.write(x.resolve("manifest.json"), m);
            assertThatThrownBy(() -> ModelFolder.readVerified(x, "test-kind", 1, "test folder"))
                    .as(bad).hasMessageContaining("outside its folder").hasMessageNotContaining("SHA-256");
        }
        Files.createSymbolicLink(x.resolve("link"), dir.resolve("secret.txt"));
        ObjectNode m = manifest("evil");
        m.putObject("files").put("link", "0");
        Json.write(x.resolve("manifest.json"), m);
        assertThatThrownBy(() -> ModelFolder.readVerified(x, "test-kind", 1, "test folder"))
                .hasMessageContaining("link out of its folder");
    }

    @Test
    void filesHonourTheUmaskNotTheTemporaryFileDefaults() throws Exception {
        Path x = dir.resolve("x");
        write(x, "v1", false);
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(probe);
        assertThat(Files.getPosixFilePermissions(x.resolve("manifest.json"))).isEqualTo(expected);
        Path probeDir = Files.createDirectory(dir.resolve("probe-dir"));
        assertThat(Files.getPosixFilePermissions(x)).isEqualTo(Files.getPosixFilePermissions(probeDir));
    }

    @Test
    void writeNewNeverReplacesAFileOrFollowsALink() throws Exception {
        Path target = dir.resolve("victim.txt");
        Files.writeString(target, "keep");
        Path link = dir.resolve("out.png");
        Files.createSymbolicLink(link, target);
        assertThatThrownBy(() -> AtomicFiles.writeNew(link, out -> out.write(1))).hasMessageContaining("already exists");
        assertThat(target).hasContent("keep");
        // an explicit replace swaps the link itself, never the file it points to
        AtomicFiles.write(link, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("keep");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(link).hasContent("new");
    }
}
