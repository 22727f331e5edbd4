package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.testing.EngineTest;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.ResidualManipulator;

class ManipulatorEditorTest extends EngineTest {


    @TempDir
    Path dir;



    /** A manipulator that is not the identity: its zero-initialised last layer gets small random weights. */
    private static ResidualManipulator randomManipulator(NDManager m) {
        ResidualManipulator r = new ResidualManipulator(8);
        r.initialize(m);
        for (Pair<String, Parameter> p : r.getParameters()) {
            if (p.getKey().endsWith("conv_out_weight")) {
                NDArray w = p.getValue().getArray();
                w.set(m.randomUniform(-0.05f, 0.05f, w.getShape()).toFloatArray());
            }
        }
        return r;
    }

    /** Writes a manipulator's weights into a bundle as one edit. */
    static void saveEdit(Path bundle, String edit, ResidualManipulator r) {
        var entry = Json.object();
        entry.put("prompt", "a prompt");
        var header = Json.object();
        header.put("resolution", 32);
        EditorBundle.addEdit(new EditorBundle.Target(bundle, false, false), edit, entry,
                new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 8, 32), r, header);
    }

    private Path bundle(String edit) throws Exception {
        Path b = dir.resolve("bundle");
        saveEdit(b, edit, randomManipulator(manager));
        return b;
    }

    private static List<BufferedImage> faces(int n) {
        return new FaceWorld(11, n, 32).faces(0, n).stream().map(f -> f.image()).toList();
    }

    @Test
    void roundTripGivesTheManipulatorsOwnOutput() throws Exception {
        ResidualManipulator r = randomManipulator(manager);
        saveEdit(dir.resolve("b"), "smiling", r);
        List<BufferedImage> in = faces(4);
        try (ManipulatorEditor e = ManipulatorEditor.load(dir.resolve("b"), manager); NDManager m = manager.newSubManager()) {
            assertThat(e.edits()).containsExactly("smiling");
            List<BufferedImage> out = e.editRgb(in, "smiling");
            List<BufferedImage> direct = ImageTensors.toImages(
                    r.apply(new ParameterStore(m, false), ImageTensors.batch(in, 32, m), false));
            int changed = 0;
            for (int i = 0; i < 4; i++) {
                int[] a = out.get(i).getRGB(0, 0, 32, 32, null, 0, 32);
                int[] b = direct.get(i).getRGB(0, 0, 32, 32, null, 0, 32);
                int[] orig = in.get(i).getRGB(0, 0, 32, 32, null, 0, 32);
                for (int k = 0; k < a.length; k++) {
                    for (int c = 0; c < 3; c++) {
                        int x = (a[k] >> (8 * c)) & 0xFF;
                        int y = (b[k] >> (8 * c)) & 0xFF;
                        assertThat(Math.abs(x - y)).isLessThanOrEqualTo(1);
                    }
                    changed += a[k] != orig[k] ? 1 : 0;
                }
            }
            assertThat(changed).as("the random manipulator changes pixels").isPositive();
        }
    }

    @Test
    void aBatchPutBackOnEveryCoreEqualsEachImageAlone() throws Exception {
        Path b = bundle("smiling");
        List<BufferedImage> in = new FaceWorld(12, 12, 96).faces(0, 12).stream().map(f -> f.image()).toList();
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            for (FullResolution.Mode mode : List.of(FullResolution.Mode.RESIDUAL, FullResolution.Mode.BLEND,
                    FullResolution.Mode.EDGE_AWARE)) {
                List<BufferedImage> batch = e.editRgb(in, "smiling", mode);
                assertThat(batch).hasSize(in.size());
                for (int i = 0; i < in.size(); i++) {
                    // each image in its place (the manipulator's batch of 12 and of 1 may differ by a rounding)
                    int[] a = batch.get(i).getRGB(0, 0, 96, 96, null, 0, 96);
                    int[] o = e.editRgb(List.of(in.get(i)), "smiling", mode).get(0).getRGB(0, 0, 96, 96, null, 0, 96);
                    for (int k = 0; k < a.length; k++) {
                        for (int c = 0; c < 3; c++) {
                            assertThat(Math.abs(((a[k] >> (8 * c)) & 0xFF) - ((o[k] >> (8 * c)) & 0xFF)))
                                    .as(mode + ", image " + i).isLessThanOrEqualTo(1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void severalModesAtOnceEqualEachModeAlone() throws Exception {
        Path b = bundle("smiling");
        List<BufferedImage> in = new FaceWorld(13, 5, 80).faces(0, 5).stream().map(f -> f.image()).toList();
        List<FullResolution.Mode> modes = List.of(FullResolution.Mode.RESIDUAL, FullResolution.Mode.BLEND,
                FullResolution.Mode.EDGE_AWARE);
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            var all = e.editRgb(in, "smiling", modes);
            assertThat(all.keySet()).containsExactlyElementsOf(modes);
            for (FullResolution.Mode mode : modes) {
                List<BufferedImage> alone = e.editRgb(in, "smiling", mode);
                assertThat(all.get(mode)).hasSize(in.size());
                for (int i = 0; i < in.size(); i++) {
                    assertThat(all.get(mode).get(i).getRGB(0, 0, 80, 80, null, 0, 80)).as(mode + ", image " + i)
                            .containsExactly(alone.get(i).getRGB(0, 0, 80, 80, null, 0, 80));
                }
            }
            // the modes really differ here, so the map cannot hand one result to every mode
            assertThat(all.get(FullResolution.Mode.RESIDUAL).get(0).getRGB(0, 0, 80, 80, null, 0, 80))
                    .isNotEqualTo(all.get(FullResolution.Mode.BLEND).get(0).getRGB(0, 0, 80, 80, null, 0, 80));
            assertThatThrownBy(() -> e.editRgb(in, "smiling", List.of(FullResolution.Mode.LEARNED)))
                    .hasMessageContaining("no learned upsampler");
        }
    }

    @Test
    void anySizeAndAlphaInputKeepItsSize() throws Exception {
        Path b = bundle("smiling");
        BufferedImage argb = new BufferedImage(77, 50, BufferedImage.TYPE_INT_ARGB);
        argb.getGraphics().drawImage(faces(1).get(0), 0, 0, 77, 50, null);
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            Image out = e.edit(ImageFactory.getInstance().fromImage(argb), "smiling");
            assertThat(out.getWidth()).isEqualTo(77);
            assertThat(out.getHeight()).isEqualTo(50);
            assertThat(e.edit(ImageFactory.getInstance().fromImage(grey), "smiling").getWidth()).isEqualTo(64);
        }
    }

    @Test
    void unknownEditNamesTheKnownOnes() throws Exception {
        Path b = bundle("smiling");
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThatThrownBy(() -> e.editRgb(faces(1), "angry")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("edit \"angry\" is not in this editor; it knows: [smiling]");
        }
    }

    @Test
    void damagedWeightsAndWrongVersionAreRefused() throws Exception {
        Path b = bundle("smiling");
        Path file = b.resolve(Json.read(b.resolve("manifest.json")).at("/edits/smiling/weights").asText());
        byte[] w = Files.readAllBytes(file);
        w[w.length - 1] ^= 1;
        Files.write(file, w);
        assertThatThrownBy(() -> ManipulatorEditor.load(b, manager)).hasMessageContaining("damaged")
                .hasMessageContaining(file.getFileName().toString());
        Path b2 = dir.resolve("b2");
        Files.createDirectories(b2);
        Files.writeString(b2.resolve("manifest.json"), "{\"format\": \"sdd-editor\", \"formatVersion\": 99}");
        assertThatThrownBy(() -> ManipulatorEditor.load(b2, manager)).hasMessageContaining("format version 99");
        assertThatThrownBy(() -> ManipulatorEditor.load(dir.resolve("none"), manager)).hasMessageContaining("does not exist");
    }

    @Test
    void bundleCanHoldSeveralEdits() throws Exception {
        Path b = bundle("smiling");
        saveEdit(b, "glasses", randomManipulator(manager));
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            assertThat(e.edits()).containsExactlyInAnyOrder("smiling", "glasses");
        }
    }

    @Test
    void concurrentEditsEqualSequentialOnes() throws Exception {
        Path b = bundle("smiling");
        List<BufferedImage> in = faces(16);
        try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
            List<int[]> expected = new ArrayList<>();
            for (BufferedImage img : in) {
                expected.add(e.editRgb(List.of(img), "smiling").get(0).getRGB(0, 0, 32, 32, null, 0, 32));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<int[]>> futures = new ArrayList<>();
                for (int rep = 0; rep < 4; rep++) {
                    for (BufferedImage img : in) {
                        futures.add(pool.submit(() -> e.editRgb(List.of(img), "smiling").get(0)
                                .getRGB(0, 0, 32, 32, null, 0, 32)));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get()).isEqualTo(expected.get(i % in.size()));
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
