package org.sdd4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.testing.EngineTest;

class EditorBundleTest extends EngineTest {

    @TempDir
    Path dir;

    private void add(Path bundle, String edit, boolean replace) {
        ResidualManipulator r = new ResidualManipulator(8);
        r.initialize(manager);
        ObjectNode entry = Json.object();
        entry.put("prompt", "a prompt for " + edit);
        ObjectNode header = Json.object();
        header.put("resolution", 32);
        EditorBundle.addEdit(new EditorBundle.Target(bundle, replace, false), edit, entry,
                new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 8, 32), r, header);
    }

    private static void edit(Path bundle, String pointer, String json) throws Exception {
        ObjectNode m = (ObjectNode) Json.read(bundle.resolve("manifest.json"));
        String[] parts = pointer.substring(1).split("/");
        ObjectNode node = m;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], Json.MAPPER.readTree(json));
        Json.write(bundle.resolve("manifest.json"), m);
    }

    @Test
    void editNamesThatDifferOnlyInPunctuationKeepTheirOwnFiles() {
        Path b = dir.resolve("b");
        add(b, "a b", false);
        add(b, "a_b", false);
        var m = EditorBundle.readVerified(b);
        assertThat(m.at("/edits/a b/weights").asText()).isNotEqualTo(m.at("/edits/a_b/weights").asText());
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.edits()).containsExactlyInAnyOrder("a b", "a_b");
        }
    }

    @Test
    void anExistingEditIsReplacedOnlyWhenAskedAndTheOthersSurvive() {
        Path b = dir.resolve("b");
        add(b, "smiling", false);
        add(b, "glasses", false);
        Path glasses = EditorBundle.weightsFile(b, "glasses");
        assertThatThrownBy(() -> add(b, "smiling", false)).hasMessageContaining("already has the edit 'smiling'")
                .hasMessageContaining("--replace");
        assertThatThrownBy(() -> EditorBundle.checkWritable(new EditorBundle.Target(b, false, false), "smiling"))
                .hasMessageContaining("--replace");
        add(b, "smiling", true);
        assertThat(EditorBundle.weightsFile(b, "glasses")).isEqualTo(glasses).exists();
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.edits()).containsExactlyInAnyOrder("smiling", "glasses");
        }
    }

    @Test
    void manifestFieldsAreCheckedAgainstBoundsAndTheWeights() throws Exception {
        Path b = dir.resolve("b");
        add(b, "smiling", false);
        for (String res : new String[] {"20000", "100000", "0", "-3", "\"x\""}) {
            edit(b, "/resolution", res);
            assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).as(res)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declares resolution");
        }
        // a plausible resolution that is not the one the weights were trained at
        edit(b, "/resolution", "64");
        assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).hasMessageContaining("trained as")
                .hasMessageContaining("resolution=32");
        edit(b, "/resolution", "32");
        edit(b, "/edits/smiling/width", "16");
        assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).hasMessageContaining("trained as")
                .hasMessageContaining("width=8");
        edit(b, "/edits/smiling/width", "8");
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.edits()).containsExactly("smiling");
            assertThat(e.targetColours("smiling")).isEmpty();
        }
        for (String colours : new String[] {"\"sand\"", "[[238, 208]]", "[[238, 208, 256]]", "[[238, 208, 1.5]]"}) {
            edit(b, "/edits/smiling/targetColours", colours);
            assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).as(colours)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetColours")
                    .hasMessageContaining("edit 'smiling'").hasMessageContaining(b.toString());
        }
        edit(b, "/edits/smiling/targetColours", "[[238, 208, 120], [0, 0, 255]]");
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.targetColours("smiling")).containsExactly(new int[] {238, 208, 120}, new int[] {0, 0, 255});
            e.ignoreTargetColours("smiling");
            assertThat(e.targetColours("smiling")).isEmpty();
            assertThatThrownBy(() -> e.targetColours("frowning")).isInstanceOf(IllegalArgumentException.class);
            assertThat(e.framingTemplate("smiling")).isEmpty();
        }
        // a framing template: resolution² finite numbers, not all equal
        String ramp = java.util.stream.IntStream.range(0, 32 * 32).mapToObj(i -> Integer.toString(i % 7))
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        for (String template : new String[] {"\"edges\"", "[1, 2, 3]", "[" + "0,".repeat(1023) + "0]",
            ramp.replaceFirst("\\[0,", "[\"x\",")}) {
            edit(b, "/edits/smiling/framingTemplate", template);
            assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).as(template)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("framingTemplate")
                    .hasMessageContaining("edit 'smiling'");
        }
        edit(b, "/edits/smiling/framingTemplate", ramp);
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.framingTemplate("smiling")).get().extracting(t -> t.values().length).isEqualTo(1024);
        }
    }

    @Test
    void weightsOutsideTheBundleAreNeverRead() throws Exception {
        Path b = dir.resolve("b");
        add(b, "smiling", false);
        Files.writeString(dir.resolve("passwd"), "root:x:0:0");
        edit(b, "/edits/smiling/weights", "\"../passwd\"");
        assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).hasMessageContaining("../passwd")
                .hasMessageContaining("does not list").hasMessageNotContaining("SHA-256");
        ObjectNode m = (ObjectNode) Json.read(b.resolve("manifest.json"));
        ((ObjectNode) m.get("files")).put("../passwd", "0");
        Json.write(b.resolve("manifest.json"), m);
        assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).hasMessageContaining("outside its folder")
                .hasMessageNotContaining("SHA-256");
    }
}
