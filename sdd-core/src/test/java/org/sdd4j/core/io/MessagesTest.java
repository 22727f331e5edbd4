package org.sdd4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagesTest {

    @TempDir
    Path dir;

    @Test
    void fileSystemErrorsSayWhatFailed() {
        assertThat(Messages.describe(new NoSuchFileException("data/x.png"))).isEqualTo("data/x.png: no such file or folder");
        assertThat(Messages.describe(new AccessDeniedException("/etc/shadow"))).isEqualTo("/etc/shadow: no permission");
        assertThat(Messages.describe(new NotDirectoryException("afile"))).isEqualTo("afile: not a folder");
    }

    @Test
    void aWriteUnderAFileNamesTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(file.resolve("out.png"), new byte[] {1}))
                .hasMessageContaining("could not write").hasMessageContaining("afile");
    }
}
