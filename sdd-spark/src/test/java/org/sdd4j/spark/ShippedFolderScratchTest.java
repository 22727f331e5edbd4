package org.sdd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging copies live in temporary folders that the library deletes, and it deletes nothing else. */
class ShippedFolderScratchTest {

    @Test
    void stagingCopiesAreTemporaryAndDeletedLeavingTheSourceAlone(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("bundle");
        Files.createDirectories(source);
        Files.writeString(source.resolve("manifest.json"), "{}");
        Files.writeString(source.resolve("weights.bin"), "w");

        Path staged = ShippedFolder.stage(source, "sdd-editor-abc");
        Path root = staged.getParent();
        assertThat(staged.resolve("weights.bin")).hasContent("w");
        assertThat(ShippedFolder.scratch()).contains(root);
        assertThat(root).isNotEqualTo(source.getParent());

        ShippedFolder.deleteScratch(java.util.Set.of(root, source, dir));

        assertThat(root).doesNotExist();
        assertThat(ShippedFolder.scratch()).doesNotContain(root);
        assertThat(source.resolve("manifest.json")).hasContent("{}");
        assertThat(source.resolve("weights.bin")).hasContent("w");
        assertThat(dir).isDirectory();
    }
}
