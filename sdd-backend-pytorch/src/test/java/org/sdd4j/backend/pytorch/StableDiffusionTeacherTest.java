package org.sdd4j.backend.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Editor;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SdsWeighting;
import org.sdd4j.api.SelectionOptions;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.guidance.Guidance;
import org.sdd4j.core.guidance.GuidanceSetup;
import org.sdd4j.core.guidance.ScoreDistillation;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.Json;
import org.sdd4j.tck.TckFixtures;

/**
 * The Stable Diffusion teacher against reference values computed in Python (tools/make-mini-sd.py) on a
 * miniature SD-shaped pipeline with random weights: epsilon and v_prediction variants.
 */
class StableDiffusionTeacherTest {

    static final String ROOT = "/org/sdd4j/backend/pytorch/mini-sd/";

    @TempDir
    Path dir;

    /** Copies the fixture (both variants and references) to a folder. */
    static Path fixture(Path to) throws IOException {
        String index;
        try (InputStream in = StableDiffusionTeacherTest.class.getResourceAsStream(ROOT + "index.txt")) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : index.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = StableDiffusionTeacherTest.class.getResourceAsStream(ROOT + name)) {
                Files.copy(in, target);
            }
        }
        return to;
    }

    static float[] floats(JsonNode n) {
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) n.get(i).asDouble();
        }
        return v;
    }

    static void assertClose(float[] actual, float[] expected, double tol, String what) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        assertThat(max).as(what + ": max abs difference").isLessThanOrEqualTo(tol);
    }

    static void assertRelClose(float[] actual, float[] expected, double tol, String what) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < actual.length; i++) {
            num += (actual[i] - expected[i]) * (double) (actual[i] - expected[i]);
            den += expected[i] * (double) expected[i];
        }
        assertThat(den).as(what + " is not zero").isPositive();
        assertThat(Math.sqrt(num / den)).as(what + ": relative L2 difference").isLessThanOrEqualTo(tol);
    }

    @Test
    void epsilonTeacherReproducesThePythonReferences() throws IOException {
        reproduces("eps", PredictionType.EPSILON);
    }

    @Test
    void vPredictionTeacherReproducesThePythonReferences() throws IOException {
        reproduces("v", PredictionType.V_PREDICTION);
    }

    private void reproduces(String variant, PredictionType expected) throws IOException {
        Path root = fixture(dir);
        JsonNode ref = Json.read(root.resolve("references-" + variant + ".json"));
        try (NDManager m = PyTorchBackend.newRootManager();
                StableDiffusionTeacher t = StableDiffusionTeacher.load(root.resolve(variant), m)) {
            assertThat(t.predictionType()).isEqualTo(expected);
            assertThat(t.imageSize()).isEqualTo(64);
            assertThat(t.space().toString()).isEqualTo("latent 4x8x8");
            List<String> prompts = List.of(ref.get("prompts").get(0).asText(), ref.get("prompts").get(1).asText());
            for (int i = 0; i < 2; i++) {
                long[] ids = t.tokenIds(prompts.get(i));
                for (int k = 0; k < ids.length; k++) {
                    assertThat(ids[k]).as("token " + k + " of \"" + prompts.get(i) + "\"")
                            .isEqualTo(ref.get("tokenIds").get(i).get(k).asLong());
                }
            }
            NDArray emb = t.embed(prompts, m);
            assertClose(emb.toFloatArray(), floats(ref.get("embeddings")), 1e-4, "text embeddings");

            NDArray latents = m.create(floats(ref.get("latents")), new Shape(2, 4, 8, 8));
            int[] ts = {ref.get("timesteps").get(0).asInt(), ref.get("timesteps").get(1).asInt()};
            assertClose(t.predict(latents, ts, emb).toFloatArray(), floats(ref.get("raw")), 1e-4, "UNet output");

            float scale = (float) ref.get("guidanceScale").asDouble();
            float[] guided = new float[2 * 256];
            float[] conditional = new float[2 * 256];
            for (int i = 0; i < 2; i++) {
                try (Conditioning c = t.encode(prompts.get(i), "", m)) {
                    NDArray x = latents.get(i + ":" + (i + 1));
                    System.arraycopy(Guidance.predictNoise(t, x, new int[] {ts[i]}, c, scale).toFloatArray(), 0,
                            guided, i * 256, 256);
                    // scale 1: the conditional prediction alone, converted to epsilon (v -> eps for v teachers)
                    System.arraycopy(Guidance.predictNoise(t, x, new int[] {ts[i]}, c, 1f).toFloatArray(), 0,
                            conditional, i * 256, 256);
                }
            }
            assertClose(conditional, floats(ref.get("epsilonConditional")), 1e-4, "prediction converted to epsilon");
            assertClose(guided, floats(ref.get("guided")), 1e-4, "guided prediction");

            // the SDS gradient formed on the latents and pulled back to the pixels through the encoder
            NDArray image = m.create(floats(ref.get("image")), new Shape(1, 3, 64, 64));
            NDArray noise = m.create(floats(ref.get("noise")), new Shape(1, 4, 8, 8));
            image.setRequiresGradient(true);
            GuidanceSetup setup = new GuidanceSetup(GuidanceObjective.SDS, ref.get("sdsPrompt").asText(), "", "",
                    scale, SdsWeighting.ONE_MINUS_ALPHA_BAR, false);
            try (GuidanceSetup.Encoded enc = setup.encode(t, m)) {
                float[] latentGrad;
                float[] z;
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray zz = t.toTeacherSpace(image);
                    z = zz.toFloatArray();
                    NDArray g = ScoreDistillation.gradient(t, enc, zz, zz, new int[] {ref.get("sdsTimestep").asInt()},
                            0, noise);
                    latentGrad = g.toFloatArray();
                    gc.backward(ScoreDistillation.surrogateLoss(g, zz));
                }
                assertClose(z, floats(ref.get("latentOfImage")), 1e-4, "scaled latent of the image");
                assertRelClose(latentGrad, floats(ref.get("sdsLatentGradient")), 1e-4, "SDS gradient on the latent");
                assertRelClose(image.getGradient().toFloatArray(), floats(ref.get("sdsPixelGradient")), 1e-4,
                        "SDS gradient on the pixels");
            }
            NDArray decoded = t.toImages(m.create(floats(ref.get("latentOfImage")), new Shape(1, 4, 8, 8)));
            assertClose(decoded.toFloatArray(), floats(ref.get("decoded")), 1e-4, "decoded latent");
        }
    }

    @Test
    void distillationSearchAndSdEditRunWithTheMiniatureTeacher() throws IOException {
        Path root = fixture(dir);
        PyTorchBackend backend = new PyTorchBackend();
        try (DiffusionTeacher t = backend.loadTeacher(root.resolve("eps"))) {
            List<Image> samples = List.of(TckFixtures.image("inputs/face-40.png"), TckFixtures.image("inputs/face-16.png"));
            TimestepSelection sel = backend.newTimestepSelector().select(t, "a smiling face", samples,
                    SelectionOptions.defaults().withCandidates(List.of(200, 500, 800)));
            assertThat(sel.scores()).hasSize(3).allSatisfy(s -> assertThat(s.hqs()).isFinite());
            assertThat(sel.selected()).isNotEmpty();

            Path out = dir.resolve("editor");
            DistillOptions o = DistillOptions.builder().steps(30).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                    .previewEvery(0).build();
            backend.newDistiller().distill(new DistillRequest("smiling", "a smiling face", "", t, TckFixtures.data(),
                    TimestepSelection.fixed("a smiling face", List.of(300, 500)), o, out, null, null));
            assertThat(Json.read(out.resolve("manifest.json")).path("edits").path("smiling").path("training")
                    .path("final_pixel").asDouble()).as("the edit moved away from the input").isPositive();
            try (Editor e = backend.loadEditor(out)) {
                Image in = TckFixtures.image("inputs/face-40.png");
                Image edited = e.edit(in, "smiling");
                assertThat(edited.getWidth()).isEqualTo(40);
                // the zero-initialised manipulator is the identity; after training it changes the image
                assertThat(TckFixtures.maxDifference(in, edited)).isPositive();
            }
            assertThat(Json.read(out.resolve("manifest.json")).path("resolution").asInt()).isEqualTo(64);

            // a manipulator at a quarter of the teacher's size, upsampled before the encoder
            Path small = dir.resolve("editor-16");
            backend.newDistiller().distill(new DistillRequest("smiling", "a smiling face", "", t, TckFixtures.data(),
                    TimestepSelection.fixed("a smiling face", List.of(300, 500)),
                    o.toBuilder().steps(10).workingResolution(16).build(), small, null, null));
            assertThat(Json.read(small.resolve("manifest.json")).path("resolution").asInt()).isEqualTo(16);
            assertThat(Json.read(small.resolve("manifest.json")).path("edits").path("smiling").path("training")
                    .path("final_pixel").asDouble()).isPositive();
            assertThatThrownBy(() -> backend.newDistiller().distill(new DistillRequest("smiling", "a smiling face", "",
                    t, TckFixtures.data(), TimestepSelection.fixed("a smiling face", List.of(300)),
                    o.toBuilder().workingResolution(24).build(), dir.resolve("editor-24"), null, null)))
                    .hasMessageContaining("must divide the teacher's image size 64");

            try (NDManager m = backend.newManager()) {
                BufferedImage face = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                List<BufferedImage> edited = new SdEdit(t).edit(List.of(face), "a smiling face", "",
                        new SdEdit.Options(0.5, 10, 3f, 1), 1, m);
                assertThat(edited).hasSize(1);
                assertThat(edited.get(0).getWidth()).isEqualTo(64);
                assertThat(edited.get(0).getHeight()).isEqualTo(64);
            }
        }
    }

    @Test
    void badTeacherFoldersAreRefusedNamingTheProblem() throws IOException {
        Path root = fixture(dir);
        PyTorchBackend backend = new PyTorchBackend();

        Path missing = copy(root.resolve("eps"), dir.resolve("missing"));
        Files.delete(missing.resolve("unet.pt"));
        assertThatThrownBy(() -> backend.loadTeacher(missing)).hasMessageContaining("lacks its file unet.pt");

        Path damaged = copy(root.resolve("eps"), dir.resolve("damaged"));
        byte[] b = Files.readAllBytes(damaged.resolve("vae_encoder.pt"));
        b[b.length / 2] ^= 1;
        Files.write(damaged.resolve("vae_encoder.pt"), b);
        assertThatThrownBy(() -> backend.loadTeacher(damaged)).hasMessageContaining("vae_encoder.pt")
                .hasMessageContaining("SHA-256");

        Path swapped = copy(root.resolve("eps"), dir.resolve("swapped"));
        Files.copy(swapped.resolve("vae_decoder.pt"), swapped.resolve("unet.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        relist(swapped, "unet.pt");
        assertThatThrownBy(() -> backend.loadTeacher(swapped)).hasMessageContaining("module 'unet'")
                .hasMessageContaining("latents [1,4,8,8] float32, timesteps [1] int64");

        Path unknown = copy(root.resolve("eps"), dir.resolve("unknown"));
        ObjectNode m = (ObjectNode) Json.read(unknown.resolve("manifest.json"));
        m.put("predictionType", "x0_magic");
        Json.write(unknown.resolve("manifest.json"), m);
        assertThatThrownBy(() -> backend.loadTeacher(unknown)).hasMessageContaining("unknown prediction type 'x0_magic'");

        Path tokenizer = copy(root.resolve("eps"), dir.resolve("tokenizer"));
        Files.writeString(tokenizer.resolve("tokenizer.json"), "{ not a tokenizer");
        relist(tokenizer, "tokenizer.json");
        assertThatThrownBy(() -> backend.loadTeacher(tokenizer)).hasMessageContaining("tokenizer.json does not load");

        Path unlisted = copy(root.resolve("eps"), dir.resolve("unlisted"));
        ObjectNode u = (ObjectNode) Json.read(unlisted.resolve("manifest.json"));
        ((ObjectNode) u.get("files")).remove("text_encoder.pt");
        Json.write(unlisted.resolve("manifest.json"), u);
        assertThatThrownBy(() -> backend.loadTeacher(unlisted)).hasMessageContaining("text_encoder.pt")
                .hasMessageContaining("does not list with a checksum");
    }

    @Test
    void precomputedPromptEmbeddingsReplaceTheTextEncoder() throws IOException {
        Path root = fixture(dir);
        Path folder = copy(root.resolve("eps"), dir.resolve("prompts"));
        List<String> prompts = List.of("", "a smiling face");
        float[] expected;
        try (NDManager m = PyTorchBackend.newRootManager();
                StableDiffusionTeacher t = StableDiffusionTeacher.load(root.resolve("eps"), m)) {
            expected = t.embed(prompts, m).toFloatArray();
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(expected.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(expected);
        Files.write(folder.resolve("prompt_embeddings.bin"), buf.array());
        Files.delete(folder.resolve("text_encoder.pt"));
        Files.delete(folder.resolve("tokenizer.json"));
        ObjectNode m = (ObjectNode) Json.read(folder.resolve("manifest.json"));
        ObjectNode modules = (ObjectNode) m.get("modules");
        modules.remove("textEncoder");
        modules.remove("tokenizer");
        modules.put("promptEmbeddings", "prompt_embeddings.bin");
        ((ObjectNode) m.get("text")).putArray("prompts").add("").add("a smiling face");
        ObjectNode files = (ObjectNode) m.get("files");
        files.remove("text_encoder.pt");
        files.remove("tokenizer.json");
        files.put("prompt_embeddings.bin", AtomicFiles.sha256(folder.resolve("prompt_embeddings.bin")));
        Json.write(folder.resolve("manifest.json"), m);
        try (NDManager mm = PyTorchBackend.newRootManager();
                StableDiffusionTeacher t = StableDiffusionTeacher.load(folder, mm)) {
            assertThat(t.embed(List.of("a smiling face", ""), mm).toFloatArray()).hasSize(expected.length);
            assertClose(t.embed(prompts, mm).toFloatArray(), expected, 0, "precomputed embeddings");
            assertThatThrownBy(() -> t.embed(List.of("a frowning face"), mm))
                    .hasMessageContaining("not for \"a frowning face\"");
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        return to;
    }

    /** Updates a file's checksum in the manifest (as a careless hand edit would). */
    private static void relist(Path folder, String file) {
        ObjectNode m = (ObjectNode) Json.read(folder.resolve("manifest.json"));
        ((ObjectNode) m.get("files")).put(file, AtomicFiles.sha256(folder.resolve(file)));
        Json.write(folder.resolve("manifest.json"), m);
    }
}
