package org.sdd4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionedFolderTest {

    @TempDir
    Path dir;

    private void png(String name) throws Exception {
        ImageIO.write(new FaceWorld(1, 5, 32).face(0).image(), "png", dir.resolve(name).toFile());
    }

    @Test
    void readsCsvWithHeaderAndQuotesAndJsonl() throws Exception {
        png("a.png");
        png("b.png");
        Files.writeString(dir.resolve("list.csv"), "file,caption\na.png,a smiling face\nb.png,\"a face, with glasses\"\n");
        CaptionedFolder f = CaptionedFolder.open(dir.resolve("list.csv"));
        assertThat(f.size()).isEqualTo(2);
        assertThat(f.get(1).caption()).isEqualTo("a face, with glasses");
        assertThat(f.get(0).image().getWidth()).isEqualTo(32);
        assertThat(CaptionedFolder.vocabulary(f)).containsExactly("a", "face", "glasses", "smiling", "with");
        Files.writeString(dir.resolve("list.jsonl"), "{\"file\": \"a.png\", \"caption\": \"a face\"}\n");
        assertThat(CaptionedFolder.open(dir.resolve("list.jsonl")).size()).isEqualTo(1);
    }

    @Test
    void missingFileIsNamedWithItsLine() throws Exception {
        Files.writeString(dir.resolve("list.csv"), "nope.png,a face\n");
        assertThatThrownBy(() -> CaptionedFolder.open(dir.resolve("list.csv")))
                .hasMessageContaining("list.csv:1").hasMessageContaining("nope.png").hasMessageContaining("does not exist");
    }

    @Test
    void emptyCaptionIsRefused() throws Exception {
        png("a.png");
        Files.writeString(dir.resolve("list.csv"), "a.png,  \n");
        assertThatThrownBy(() -> CaptionedFolder.open(dir.resolve("list.csv"))).hasMessageContaining("caption of a.png is empty");
    }

    @Test
    void unreadableImageIsReportedWhenRead() throws Exception {
        Files.writeString(dir.resolve("bad.png"), "this is not a png");
        Files.writeString(dir.resolve("list.csv"), "bad.png,a face\n");
        CaptionedFolder f = CaptionedFolder.open(dir.resolve("list.csv"));
        assertThatThrownBy(() -> f.get(0)).hasMessageContaining("bad.png").hasMessageContaining("readable");
    }

    @Test
    void pathsOutsideTheListsFolderAreRefusedUnlessAllowed() throws Exception {
        png("a.png");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.writeString(sub.resolve("list.csv"), "../a.png,a face\n");
        assertThatThrownBy(() -> CaptionedFolder.open(sub.resolve("list.csv"))).hasMessageContaining("list.csv:1")
                .hasMessageContaining("outside its folder").hasMessageContaining("--allow-outside-paths");
        Files.writeString(sub.resolve("list.csv"), dir.resolve("a.png") + ",a face\n");
        assertThatThrownBy(() -> CaptionedFolder.open(sub.resolve("list.csv"))).hasMessageContaining("outside its folder");
        assertThat(CaptionedFolder.open(sub.resolve("list.csv"), true).size()).isEqualTo(1);
    }

    @Test
    void missingListIsExplained() {
        assertThatThrownBy(() -> CaptionedFolder.open(dir.resolve("none.csv"))).hasMessageContaining("does not exist");
    }
}
