package org.sdd4j.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.guidance.Guidance;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.Conditioning;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.nn.UNet;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;
import org.sdd4j.core.teacher.DdimSampler;
import org.sdd4j.core.teacher.UNetTeacher;

/** Exported SavedModels on TensorFlow against the same weights on PyTorch. */
@Tag("tensorflow")
class SavedModelParityTest {

    private static NDManager pt;
    private static NDManager tf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void engines() {
        pt = NDManager.newBaseManager("PyTorch");
        TensorFlowNatives.ensure();
        tf = Engine.getEngine(TensorFlowBackend.ENGINE).newBaseManager();
    }

    @AfterAll
    static void close() {
        tf.close();
        pt.close();
    }

    /** Replaces every parameter with small random values, so no layer is trivially zero. */
    private static void randomise(Block block, long seed) {
        randomise(block, seed, 0.2);
    }

    /** The same with another spread. */
    private static void randomise(Block block, long seed, double std) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (Noise.gaussian(r) * std);
            }
            a.set(FloatBuffer.wrap(v));
        }
    }

    private static float maxAbs(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** A width-8 residual manipulator with random weights, frozen. */
    private static ResidualManipulator randomManipulator(boolean masked, long seed) {
        ResidualManipulator manip = new ResidualManipulator(8, masked);
        manip.initialize(pt);
        randomise(manip, seed);
        manip.freezeParameters(true);
        return manip;
    }

    /** Two 8-bit images of the same size that differ by at most one level in any channel. */
    private static void assertSameUpToRounding(java.awt.image.BufferedImage a, java.awt.image.BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
        int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pa.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(Math.abs(((pa[i] >> (8 * c)) & 0xFF) - ((pb[i] >> (8 * c)) & 0xFF))).isLessThanOrEqualTo(1);
            }
        }
    }

    private static float[] nchwToNhwc(float[] x, int b, int c, int h, int w) {
        float[] out = new float[x.length];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < h * w; p++) {
                    out[(i * h * w + p) * c + k] = x[(i * c + k) * h * w + p];
                }
            }
        }
        return out;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void exportedEditorMatchesThePyTorchEditor(boolean masked) {
        int res = 16;
        ResidualManipulator manip = randomManipulator(masked, 1);
        if (masked) {
            manip.maskGain(1.3f); // opened when editing, in the exported graph alike
            manip.maskFloor(0.2f); // and its tail closed
        }
        Path out = tmp.resolve("editor-tf");
        // the put-back recorded for the edit travels with the export
        com.fasterxml.jackson.databind.node.ObjectNode source = org.sdd4j.core.io.Json.object();
        com.fasterxml.jackson.databind.node.ObjectNode entry = source.putObject("edits").putObject("smiling")
                .put("putBack", masked ? "EDGE_AWARE" : "BLEND");
        if (masked) {
            // and so do its target colours, which the put-back uses in Java
            entry.putArray(org.sdd4j.core.io.EditorBundle.TARGET_COLOURS).addArray().add(238).add(208).add(120);
            // and its framing template, which sdd edit --align reads
            org.sdd4j.core.io.EditorBundle.putFramingTemplate(entry, org.sdd4j.core.edit.FramingTemplate.of(
                    new org.sdd4j.core.data.FaceWorld(2, 20, res), res));
        }
        try (ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("smiling", (Manipulator) manip), res, source)) {
            SavedModelExport.exportEditor(ptEditor, out, false);
        }
        assertThat(org.sdd4j.core.io.Json.read(out.resolve("manifest.json")).at("/edits/smiling/targetColours")
                .toString()).isEqualTo(masked ? "[[238,208,120]]" : "[]");
        assertThat(org.sdd4j.core.io.Json.read(out.resolve("manifest.json")).at("/edits/smiling/framingTemplate")
                .toString()).isEqualTo(masked ? entry.get("framingTemplate").toString() : "");
        assertThat(exportedAgainstPyTorch(manip, out, "smiling", res, 4, 2)[0]).isLessThanOrEqualTo(1e-4f);
        // the public editor on TensorFlow gives the same 8-bit images (up to rounding) as the PyTorch one
        try (SavedModelEditor tfEditor = SavedModelEditor.load(out, tf);
                ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("smiling", (Manipulator) manip), res, source)) {
            var imgs = List.of(org.sdd4j.core.data.ImageTensors.resize(
                    new java.awt.image.BufferedImage(40, 24, java.awt.image.BufferedImage.TYPE_INT_RGB), 40, 24));
            var a = tfEditor.editRgb(imgs, "smiling").get(0);
            var b = ptEditor.editRgb(imgs, "smiling").get(0);
            assertSameUpToRounding(a, b);
            assertThatThrownBy(() -> tfEditor.editRgb(imgs, "frowning")).hasMessageContaining("smiling");
            assertThat(tfEditor.putBack("smiling")).isEqualTo(masked
                    ? org.sdd4j.core.edit.FullResolution.Mode.EDGE_AWARE : org.sdd4j.core.edit.FullResolution.Mode.BLEND);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"u-shape", "subpixel"})
    void aLearnedUpsamplerTravelsWithTheExportAndPutsBackAlike(String kind) {
        int res = 16;
        ResidualManipulator manip = randomManipulator(true, 5);
        Path upFolder = tmp.resolve("up-" + kind);
        // the sub-pixel one also smooths what it draws: the smoothing travels with the export and runs alike
        var network = "u-shape".equals(kind) ? org.sdd4j.core.edit.GuidedUpsampler.Network.FIRST
                : org.sdd4j.core.edit.GuidedUpsampler.Network.DEFAULT.withSmoothing(0.08);
        org.sdd4j.core.edit.GuidedUpsampler.train(new org.sdd4j.core.data.FaceWorld(3, 20, 64),
                new org.sdd4j.core.data.FaceWorld(9, 3, 64), new org.sdd4j.core.edit.GuidedUpsampler.Options(1, 1,
                        0.002f, res, List.of(64), 32, 1, network, 0.02), upFolder, pt,
                org.sdd4j.api.ProgressListener.NONE, false);
        com.fasterxml.jackson.databind.node.ObjectNode source = org.sdd4j.core.io.Json.object();
        source.putObject("edits").putObject("smiling").put("putBack", "LEARNED");
        Path out = tmp.resolve("learned-tf-" + kind);
        var imgs = List.of(new org.sdd4j.core.data.FaceWorld(4, 10, 40).face(1).image().getSubimage(0, 8, 40, 26));
        java.awt.image.BufferedImage want;
        try (ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("smiling", (Manipulator) manip), res, source,
                Map.of("smiling", org.sdd4j.core.edit.GuidedUpsampler.load(upFolder, pt)))) {
            // every layer of the upsampler's network random, so none is trivially zero
            randomise(ptEditor.upsampler("smiling").block(), 6, 0.1);
            SavedModelExport.exportEditor(ptEditor, out, false);
            want = ptEditor.editRgb(imgs, "smiling").get(0);
            var blend = ptEditor.editRgb(imgs, "smiling", org.sdd4j.core.edit.FullResolution.Mode.BLEND).get(0);
            assertThat(blend.getRGB(0, 0, 40, 26, null, 0, 40)).as("the learned put-back changes the result")
                    .isNotEqualTo(want.getRGB(0, 0, 40, 26, null, 0, 40));
        }
        try (SavedModelEditor tfEditor = SavedModelEditor.load(out, tf)) {
            assertThat(tfEditor.putBack("smiling")).isEqualTo(org.sdd4j.core.edit.FullResolution.Mode.LEARNED);
            assertThat(org.sdd4j.core.edit.GuidedUpsampler.Network.of(org.sdd4j.core.io.Json.read(out.resolve(
                    "manifest.json")).at("/edits/smiling"), org.sdd4j.core.io.EditorBundle.UPSAMPLER_NETWORK))
                    .isEqualTo(network);
            var got = tfEditor.editRgb(imgs, "smiling").get(0);
            assertSameUpToRounding(got, want);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anExportedLatentManipulatorMatchesThePyTorchOne(boolean masked) {
        int res = 16;
        org.sdd4j.core.manipulator.LatentManipulator manip = new org.sdd4j.core.manipulator.LatentManipulator(8, masked);
        manip.initialize(pt);
        // the prior and the latent network alike, so every layer is exercised; spread 0.1 keeps the values in the
        // range of images (at 0.2 the nine stacked layers reach hundreds, where float32 rounding alone is 1e-3)
        randomise(manip, 3, 0.1);
        manip.freezeParameters(true);
        if (masked) {
            manip.maskGain(1.5f);
            manip.maskFloor(0.1f);
        }
        Path out = tmp.resolve("latent-tf-" + masked);
        try (ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("blond", (Manipulator) manip), res)) {
            SavedModelExport.exportEditor(ptEditor, out, false);
        }
        float[] diffs = exportedAgainstPyTorch(manip, out, "blond", res, 3, 4);
        assertThat(diffs[0]).isLessThanOrEqualTo(1e-4f);
        assertThat(diffs[1]).as("the edit changes the image").isGreaterThan(1e-2f);
    }

    /**
     * Runs random images through the exported SavedModel of an edit and through the PyTorch manipulator.
     *
     * @return the largest difference between the two outputs, and the largest change the edit makes ([0, 1] scale)
     */
    private float[] exportedAgainstPyTorch(Manipulator manip, Path out, String edit, int res, int batch, long seed) {
        try (NDManager s = pt.newSubManager()) {
            NDArray y = Noise.gaussian(s, new Shape(batch, 3, res, res), new SplittableRandom(seed)).clip(-1f, 1f);
            float[] want = nchwToNhwc(manip.apply(new ParameterStore(s, false), y, false).add(1f).div(2f).toFloatArray(),
                    batch, 3, res, res);
            float[] in01 = nchwToNhwc(y.add(1f).div(2f).toFloatArray(), batch, 3, res, res);
            try (Model model = SavedModelSignatures.load(savedModel(out, edit), SavedModelSignatures.editorInputs(res),
                    SavedModelSignatures.EDITOR_OUTPUT); NDManager t = tf.newSubManager()) {
                NDArray x = t.create(in01, new Shape(batch, res, res, 3));
                x.setName(SavedModelSignatures.EDITOR_INPUT);
                float[] got = model.getBlock().forward(new ParameterStore(t, false), new NDList(x), false)
                        .singletonOrThrow().toFloatArray();
                return new float[] {maxAbs(got, want), maxAbs(want, in01)};
            }
        }
    }

    @Test
    void aRecolouringEditorIsRefusedNamingItsArchitecture() {
        Manipulator manip = ResidualManipulator.create(ResidualManipulator.RECOLOR, 8);
        manip.block().initialize(pt);
        Path out = tmp.resolve("recolor-tf");
        try (ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("blond hair", manip), 16)) {
            assertThatThrownBy(() -> SavedModelExport.exportEditor(ptEditor, out, false))
                    .hasMessageContaining("recolor-unet").hasMessageContaining("can be exported");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void exportedTeacherMatchesThePyTorchTeacher() {
        UNetConfig config = new UNetConfig(16, 3, 8, List.of(1, 2), 4, 16, List.of("a", "smiling", "frowning", "face"));
        UNet net = new UNet(config);
        net.initialize(pt);
        randomise(net, 3);
        DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.linear(1000);
        Path out = tmp.resolve("teacher-tf");
        try (UNetTeacher ptTeacher = UNetTeacher.of("tiny", net, schedule, pt.newSubManager())) {
            SavedModelExport.exportTeacher(ptTeacher, out, false);
            try (SavedModelTeacher tfTeacher = SavedModelTeacher.load(out, tf); NDManager s = pt.newSubManager();
                    Conditioning cp = ptTeacher.encode("a smiling face", "a frowning face", s);
                    Conditioning ct = tfTeacher.encode("a smiling face", "a frowning face", s)) {
                NDArray x = Noise.gaussian(s, new Shape(3, 3, 16, 16), new SplittableRandom(4));
                for (int t : new int[] {10, 250, 500, 990}) {
                    int[] ts = {t, t, t};
                    float[] a = Guidance.predictNoise(ptTeacher, x, ts, cp, 7.5f).toFloatArray();
                    NDArray fromTf = Guidance.predictNoise(tfTeacher, x, ts, ct, 7.5f);
                    assertThat(fromTf.getManager().getEngine().getEngineName()).isEqualTo("PyTorch");
                    assertThat(maxAbs(a, fromTf.toFloatArray())).as("t = %d", t).isLessThanOrEqualTo(1e-4f);
                }
            }
        }
    }

    @Test
    void aSavedModelWithOtherInputsIsRefusedNamingTheExpectedOnes() throws Exception {
        int res = 16;
        ResidualManipulator manip = new ResidualManipulator(8);
        manip.initialize(pt);
        Path out = tmp.resolve("editor");
        try (ManipulatorEditor ptEditor = ManipulatorEditor.of(pt, Map.of("smiling", (Manipulator) manip), res)) {
            SavedModelExport.exportEditor(ptEditor, out, false);
        }
        // an editor SavedModel is not a teacher: wrong inputs
        assertThatThrownBy(() -> SavedModelSignatures.load(savedModel(out, "smiling"),
                SavedModelSignatures.teacherInputs(res, 3, 6), SavedModelSignatures.TEACHER_OUTPUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected inputs")
                .hasMessageContaining("x_t").hasMessageContaining("image");
        // a damaged file is refused before loading
        Path pb = savedModel(out, "smiling").resolve("saved_model.pb");
        byte[] bytes = Files.readAllBytes(pb);
        bytes[bytes.length / 2] ^= 1;
        Files.write(pb, bytes);
        assertThatThrownBy(() -> SavedModelEditor.load(out, tf)).hasMessageContaining("damaged");
    }

    /** The SavedModel folder of one edit of an export, as its manifest names it. */
    private static Path savedModel(Path export, String edit) {
        return export.resolve(org.sdd4j.core.io.Json.read(export.resolve("manifest.json")).at("/edits/" + edit
                + "/savedModel").asText());
    }

    @Test
    void theBackendRefusesToTrainAndSaysWhatToDo() {
        TensorFlowBackend b = new TensorFlowBackend();
        assertThat(b.isAvailable()).as(b.unavailableReason().orElse("")).isTrue();
        assertThat(b.capabilities().training()).isFalse();
        assertThatThrownBy(b::newDistiller).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot train").hasMessageContaining("pytorch");
    }
}
