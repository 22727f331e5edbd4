package org.sdd4j.backend.pytorch;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;
import org.sdd4j.core.teacher.TeacherBase;
import org.sdd4j.core.nn.Ops;

/**
 * A Stable Diffusion checkpoint exported by {@code tools/export-stable-diffusion.py}: a latent teacher
 * whose UNet, VAE encoder and decoder and text encoder are TorchScript modules run by libtorch through
 * DJL. The UNet and the text encoder run without gradients; the encoder runs with them when its input
 * records gradients, so that a guidance gradient formed on the latents reaches the pixels.
 *
 * <p>TorchScript files are code. A folder is loaded only after every file it lists matches its SHA-256
 * (so no TorchScript the manifest's checksums do not cover is ever loaded); load folders only from
 * sources you trust.
 */
public final class StableDiffusionTeacher extends TeacherBase {

    /** The manifest's format. */
    public static final String FORMAT = "sdd-stable-diffusion";
    /** The manifest's version read here. */
    public static final int FORMAT_VERSION = 1;
    static final String KIND = "Stable Diffusion teacher";

    private final NDManager manager;
    private final List<Model> models;
    private final Block unet;
    private final Block encoder;
    private final Block decoder;
    private final Block textEncoder;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, float[]> promptEmbeddings;
    private final int resolution;
    private final int textLength;
    private final int textWidth;
    private final long padTokenId;
    private final float scalingFactor;
    private final JsonNode manifest;

    private StableDiffusionTeacher(Builder b, TeacherSpace space, PredictionType prediction, String checksum,
            DiscreteNoiseSchedule schedule) {
        super("stable-diffusion:" + b.manifest.path("source").path("model").asText("unknown"), checksum, schedule, space,
                prediction);
        this.manager = b.manager;
        this.models = b.models;
        this.unet = b.unet;
        this.encoder = b.encoder;
        this.decoder = b.decoder;
        this.textEncoder = b.textEncoder;
        this.tokenizer = b.tokenizer;
        this.promptEmbeddings = b.promptEmbeddings;
        this.resolution = b.resolution;
        this.textLength = b.textLength;
        this.textWidth = b.textWidth;
        this.padTokenId = b.padTokenId;
        this.scalingFactor = b.scalingFactor;
        this.manifest = b.manifest;
    }

    /** Whether a folder's manifest declares this format (without verifying anything). */
    public static boolean isStableDiffusionFolder(Path folder) {
        Path mf = folder.resolve(ModelFolder.MANIFEST);
        if (!Files.isRegularFile(mf)) {
            return false;
        }
        try {
            return FORMAT.equals(org.sdd4j.core.io.Json.read(mf).path("format").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Loads a teacher folder: checksums first, then the manifest's fields, then each module, probed once
     * with inputs of the declared shapes.
     *
     * @throws IllegalArgumentException naming what is wrong with the folder
     */
    public static StableDiffusionTeacher load(Path folder, NDManager parent) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, FORMAT_VERSION, KIND);
        Builder b = new Builder();
        b.manifest = m;
        b.manager = parent.newSubManager();
        try {
            PredictionType prediction = prediction(folder, m.path("predictionType").asText(""));
            DiscreteNoiseSchedule schedule = schedule(folder, m.path("schedule"));
            b.resolution = positive(folder, m, "resolution");
            int channels = positive(folder, m, "latentChannels");
            int down = positive(folder, m, "latentDownsample");
            if (b.resolution % down != 0) {
                throw bad(folder, "resolution " + b.resolution + " is not a multiple of latentDownsample " + down);
            }
            if (!"mean".equals(m.path("encoderOutput").asText("mean"))) {
                throw bad(folder, "encoderOutput '" + m.path("encoderOutput").asText() + "' is not supported; export"
                        + " the encoder so that it returns the latent mean");
            }
            b.scalingFactor = (float) m.path("scalingFactor").asDouble(Double.NaN);
            if (!(b.scalingFactor > 0)) {
                throw bad(folder, "scalingFactor must be a positive number, got " + m.path("scalingFactor"));
            }
            b.textLength = positive(folder, m.path("text"), "length");
            b.textWidth = positive(folder, m.path("text"), "width");
            int h = b.resolution / down;
            TeacherSpace space = new TeacherSpace(SpaceKind.LATENT, channels, h, h);
            JsonNode modules = m.path("modules");
            b.unet = b.load(folder, m, modules, "unet");
            // loaded as trainable so that gradients can flow through it (frozen modules are loaded as
            // inference tensors, which autograd refuses to record)
            b.encoder = b.load(folder, m, modules, "vaeEncoder");
            b.decoder = b.load(folder, m, modules, "vaeDecoder");
            if (modules.has("textEncoder")) {
                b.textEncoder = b.load(folder, m, modules, "textEncoder");
                Path tok = ModelFolder.listedFile(folder, m, modules.path("tokenizer").asText("tokenizer.json"), KIND);
                try {
                    b.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tok).optAddSpecialTokens(true)
                            .optTruncation(false).optPadding(false).build();
                } catch (IOException | RuntimeException e) {
                    throw bad(folder, "its tokenizer " + tok.getFileName() + " does not load: " + e.getMessage());
                }
                b.padTokenId = m.path("text").path("padTokenId").asLong(0);
            } else if (modules.has("promptEmbeddings")) {
                b.promptEmbeddings = promptEmbeddings(folder, m, b.textLength, b.textWidth);
            } else {
                throw bad(folder, "its manifest names neither a textEncoder (with a tokenizer) nor promptEmbeddings");
            }
            String checksum = m.path("files").path(modules.path("unet").asText()).asText();
            StableDiffusionTeacher t = new StableDiffusionTeacher(b, space, prediction, checksum, schedule);
            t.probe(folder, channels, h);
            return t;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    private static final class Builder {
        NDManager manager;
        JsonNode manifest;
        final List<Model> models = new ArrayList<>();
        Block unet;
        Block encoder;
        Block decoder;
        Block textEncoder;
        HuggingFaceTokenizer tokenizer;
        Map<String, float[]> promptEmbeddings;
        int resolution;
        int textLength;
        int textWidth;
        long padTokenId;
        float scalingFactor;

        Block load(Path folder, JsonNode m, JsonNode modules, String key) {
            if (!modules.hasNonNull(key)) {
                throw bad(folder, "its manifest names no '" + key + "' module");
            }
            String name = modules.path(key).asText();
            if (!name.endsWith(".pt")) {
                throw bad(folder, "module '" + key + "' must be a TorchScript .pt file, got '" + name + "'");
            }
            // only a file whose SHA-256 the manifest lists (and readVerified checked) is loaded
            Path file = ModelFolder.listedFile(folder, m, name, KIND);
            Model model = Model.newInstance(key, manager.getDevice(), "PyTorch");
            models.add(model);
            try {
                model.load(file.getParent(), name.substring(0, name.length() - 3),
                        key.equals("vaeEncoder") ? Map.of("trainParam", "true") : null);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw bad(folder, "module '" + key + "' (" + name + ") is not a loadable TorchScript file: "
                        + e.getMessage());
            }
            return model.getBlock();
        }

        void close() {
            for (Model mm : models) {
                mm.close();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
        }
    }

    private static PredictionType prediction(Path folder, String p) {
        return switch (p) {
            case "epsilon" -> PredictionType.EPSILON;
            case "v_prediction" -> PredictionType.V_PREDICTION;
            case "sample" -> PredictionType.SAMPLE;
            default -> throw bad(folder, "unknown prediction type '" + p + "' (expected epsilon, v_prediction or"
                    + " sample)");
        };
    }

    private static DiscreteNoiseSchedule schedule(Path folder, JsonNode s) {
        int steps = s.path("steps").asInt(1000);
        double start = s.path("betaStart").asDouble(0.00085);
        double end = s.path("betaEnd").asDouble(0.012);
        String type = s.path("type").asText("scaled_linear");
        if (steps < 2 || !(start > 0) || !(end > start) || end >= 1) {
            throw bad(folder, "schedule " + s + " is not a valid beta schedule");
        }
        return switch (type) {
            case "scaled_linear" -> DiscreteNoiseSchedule.scaledLinear(steps, start, end);
            case "linear" -> DiscreteNoiseSchedule.linear(steps, start, end);
            default -> throw bad(folder, "beta schedule '" + type + "' is not supported (scaled_linear, linear)");
        };
    }

    private static int positive(Path folder, JsonNode m, String field) {
        JsonNode v = m.path(field);
        if (!v.isInt() || v.asInt() <= 0 || v.asInt() > 100_000) {
            throw bad(folder, "'" + field + "' must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    private static Map<String, float[]> promptEmbeddings(Path folder, JsonNode m, int length, int width) {
        Path f = ModelFolder.listedFile(folder, m, m.path("modules").path("promptEmbeddings").asText(), KIND);
        List<String> prompts = new ArrayList<>();
        m.path("text").path("prompts").forEach(p -> prompts.add(p.asText()));
        try {
            byte[] raw = Files.readAllBytes(f);
            int per = length * width;
            if (prompts.isEmpty() || raw.length != (long) prompts.size() * per * 4) {
                throw bad(folder, f.getFileName() + " holds " + raw.length + " bytes; " + prompts.size() + " prompts of "
                        + length + " x " + width + " float32 need " + (long) prompts.size() * per * 4);
            }
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String p : prompts) {
                float[] v = new float[per];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + per * 4);
                out.put(p, v);
            }
            return out;
        } catch (IOException e) {
            throw bad(folder, "could not read " + f.getFileName() + ": " + e.getMessage());
        }
    }

    static IllegalArgumentException bad(Path folder, String what) {
        return new IllegalArgumentException(KIND + " " + folder + ": " + what);
    }

    /** Runs each module once on inputs of the declared shapes; says what was expected and what was found. */
    private void probe(Path folder, int channels, int h) {
        try (NDManager p = manager.newSubManager()) {
            int ph = Math.min(h, 8);
            check(folder, "unet", unet, new NDList(p.zeros(new Shape(1, channels, ph, ph)),
                    p.zeros(new Shape(1), DataType.INT64), p.zeros(new Shape(1, textLength, textWidth))),
                    new Shape(1, channels, ph, ph), "latents [1," + channels + "," + ph + "," + ph + "] float32,"
                    + " timesteps [1] int64, text embeddings [1," + textLength + "," + textWidth + "] float32");
            int pr = ph * (resolution / h);
            check(folder, "vaeEncoder", encoder, new NDList(p.zeros(new Shape(1, 3, pr, pr))),
                    new Shape(1, channels, ph, ph), "images [1,3," + pr + "," + pr + "] float32");
            check(folder, "vaeDecoder", decoder, new NDList(p.zeros(new Shape(1, channels, ph, ph))),
                    new Shape(1, 3, pr, pr), "latents [1," + channels + "," + ph + "," + ph + "] float32");
            if (textEncoder != null) {
                check(folder, "textEncoder", textEncoder, new NDList(p.zeros(new Shape(1, textLength), DataType.INT64)),
                        new Shape(1, textLength, textWidth), "token ids [1," + textLength + "] int64");
            }
        }
    }

    private static void check(Path folder, String key, Block b, NDList in, Shape expected, String inputs) {
        NDList out;
        try {
            out = b.forward(new ParameterStore(in.head().getManager(), false), in, false);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().limit(6)
                    .reduce((x, y) -> x + " " + y.strip()).orElse("");
            throw bad(folder, "module '" + key + "' does not take what the manifest declares (" + inputs + "): "
                    + msg);
        }
        Shape found = out.head().getShape();
        if (!found.equals(expected)) {
            throw bad(folder, "module '" + key + "' returned shape " + found + " for " + inputs + "; expected "
                    + expected);
        }
    }

    @Override
    public int imageSize() {
        return resolution;
    }

    /** The manifest (kind, prediction type, schedule, text, source, checksums). */
    public JsonNode manifest() {
        return manifest;
    }

    @Override
    public NDArray embed(List<String> prompts, NDManager m) {
        if (promptEmbeddings != null) {
            float[] all = new float[prompts.size() * textLength * textWidth];
            int per = textLength * textWidth;
            for (int i = 0; i < prompts.size(); i++) {
                float[] e = promptEmbeddings.get(prompts.get(i));
                if (e == null) {
                    throw new IllegalArgumentException("teacher " + id() + " has precomputed embeddings only for "
                            + promptEmbeddings.keySet() + ", not for \"" + prompts.get(i) + "\"; export it again"
                            + " with that prompt, or with its text encoder");
                }
                System.arraycopy(e, 0, all, i * per, per);
            }
            return m.create(all, new Shape(prompts.size(), textLength, textWidth));
        }
        long[] ids = new long[prompts.size() * textLength];
        for (int i = 0; i < prompts.size(); i++) {
            long[] t = tokenIds(prompts.get(i));
            System.arraycopy(t, 0, ids, i * textLength, textLength);
        }
        try (NDManager s = m.newSubManager()) {
            NDList in = new NDList(s.create(ids, new Shape(prompts.size(), textLength)));
            NDArray out = textEncoder.forward(new ParameterStore(s, false), in, false).head();
            out.attach(m);
            return out;
        }
    }

    /**
     * The token ids of a prompt as the text encoder takes them: special tokens added, truncated to the
     * text length keeping the final (end) token, padded with the pad id.
     */
    public long[] tokenIds(String prompt) {
        if (tokenizer == null) {
            throw new IllegalStateException("teacher " + id() + " has no tokenizer (precomputed embeddings)");
        }
        long[] raw = tokenizer.encode(prompt).getIds();
        long[] out = new long[textLength];
        java.util.Arrays.fill(out, padTokenId);
        if (raw.length > textLength) {
            System.arraycopy(raw, 0, out, 0, textLength - 1);
            out[textLength - 1] = raw[raw.length - 1];
        } else {
            System.arraycopy(raw, 0, out, 0, raw.length);
        }
        return out;
    }

    @Override
    public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
        NDManager m = xt.getManager();
        long[] t = new long[timesteps.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = timesteps[i];
        }
        NDList in = new NDList(xt.stopGradient(), m.create(t), embeddings.stopGradient());
        NDArray out = unet.forward(new ParameterStore(m, false), in, false).head();
        out.attach(m);
        return out;
    }

    @Override
    public NDArray toTeacherSpace(NDArray images) {
        NDManager m = images.getManager();
        // with gradients inside a gradient collector (the distiller, the search's pull-back), without elsewhere
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        NDArray mean = encoder.forward(new ParameterStore(m, false), new NDList(images), grad).head();
        NDArray z = Ops.mul(mean, scalingFactor);
        z.attach(m);
        return z;
    }

    @Override
    public NDArray toImages(NDArray x0) {
        NDManager m = x0.getManager();
        NDArray out = decoder.forward(new ParameterStore(m, false), new NDList(x0.stopGradient()), false).head();
        out.attach(m);
        return out;
    }

    @Override
    public void close() {
        for (Model mm : models) {
            mm.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
        manager.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, %d px, %s, text %dx%d)", id(), predictionType(), resolution, space(),
                textLength, textWidth);
    }
}
