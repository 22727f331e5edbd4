package org.sdd4j.backend.tensorflow;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sdd4j.core.io.Json;

/**
 * The signatures of exported SavedModels, and loading with validation. All tensors are float32,
 * channels last (NHWC), batch dimension free (-1):
 *
 * <ul>
 *   <li>editor: input {@code image} (B, R, R, 3) RGB in [0, 1]; output {@code edited} (B, R, R, 3),
 *       the edited image in about [0, 1] (clip before converting to 8 bits).
 *   <li>teacher: inputs {@code x_t} (B, R, R, C) noisy samples on the [-1, 1] image scale,
 *       {@code t} (B) timesteps in [0, T), {@code text} (B, V) bag-of-words rows (word counts divided
 *       by the word count; the vocabulary is in the manifest, with two leading tokens: unknown and
 *       empty prompt); output {@code eps} (B, R, R, C), the predicted noise of one branch.
 * </ul>
 */
public final class SavedModelSignatures {

    /** The signature key. */
    public static final String KEY = "serving_default";
    /** Editor folder format. */
    public static final String EDITOR_FORMAT = "sdd-editor-savedmodel";
    /** The export folders' format version (2: every file listed with its checksum, names confined). */
    public static final int FORMAT_VERSION = 2;
    /** An exported editor, in messages. */
    public static final String EDITOR_KIND = "exported editor";
    /** An exported teacher, in messages. */
    public static final String TEACHER_KIND = "exported teacher";
    /** Teacher folder format. */
    public static final String TEACHER_FORMAT = "sdd-teacher-savedmodel";
    /** Editor input. */
    public static final String EDITOR_INPUT = "image";
    /** Editor output. */
    public static final String EDITOR_OUTPUT = "edited";
    /** Guided upsampler input: the upsampled edit and the original, (B, H, W, 6) in [-1, 1]. */
    public static final String UPSAMPLER_INPUT = "edit_and_original";
    /** Guided upsampler output: the refined edit, (B, H, W, 3) in about [-1, 1]. */
    public static final String UPSAMPLER_OUTPUT = "refined";
    /** Teacher input: noisy sample. */
    public static final String TEACHER_X = "x_t";
    /** Teacher input: timestep. */
    public static final String TEACHER_T = "t";
    /** Teacher input: bag of words. */
    public static final String TEACHER_TEXT = "text";
    /** Teacher output. */
    public static final String TEACHER_OUTPUT = "eps";

    private SavedModelSignatures() {}

    /** Expected editor inputs (name to shape, -1 = any). */
    static Map<String, Shape> editorInputs(int res) {
        return Map.of(EDITOR_INPUT, new Shape(-1, res, res, 3));
    }

    /** Expected guided upsampler inputs (any size). */
    static Map<String, Shape> upsamplerInputs() {
        return Map.of(UPSAMPLER_INPUT, new Shape(-1, -1, -1, 6));
    }

    /** Expected teacher inputs. */
    static Map<String, Shape> teacherInputs(int res, int channels, int vocab) {
        Map<String, Shape> m = new LinkedHashMap<>();
        m.put(TEACHER_X, new Shape(-1, res, res, channels));
        m.put(TEACHER_T, new Shape(-1));
        m.put(TEACHER_TEXT, new Shape(-1, vocab));
        return m;
    }

    static ObjectNode editorSignatureJson(int res) {
        ObjectNode s = Json.object();
        s.put("key", KEY);
        s.put("tags", "serve");
        ObjectNode in = s.putObject("inputs").putObject(EDITOR_INPUT);
        in.put("dtype", "float32");
        in.put("shape", "[-1, " + res + ", " + res + ", 3]");
        in.put("range", "RGB in [0, 1], channels last");
        ObjectNode out = s.putObject("outputs").putObject(EDITOR_OUTPUT);
        out.put("dtype", "float32");
        out.put("shape", "[-1, " + res + ", " + res + ", 3]");
        out.put("range", "edited RGB in about [0, 1]; clip before converting to 8 bits");
        return s;
    }

    static ObjectNode teacherSignatureJson(int res, int channels, int vocab) {
        ObjectNode s = Json.object();
        s.put("key", KEY);
        s.put("tags", "serve");
        ObjectNode ins = s.putObject("inputs");
        ObjectNode x = ins.putObject(TEACHER_X);
        x.put("dtype", "float32");
        x.put("shape", "[-1, " + res + ", " + res + ", " + channels + "]");
        x.put("range", "x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps, x_0 in [-1, 1]");
        ObjectNode t = ins.putObject(TEACHER_T);
        t.put("dtype", "float32");
        t.put("shape", "[-1]");
        t.put("range", "timestep in [0, T)");
        ObjectNode text = ins.putObject(TEACHER_TEXT);
        text.put("dtype", "float32");
        text.put("shape", "[-1, " + vocab + "]");
        text.put("range", "bag of words over [<unknown>, <empty>, vocabulary...], rows sum to 1");
        ObjectNode out = s.putObject("outputs").putObject(TEACHER_OUTPUT);
        out.put("dtype", "float32");
        out.put("shape", "[-1, " + res + ", " + res + ", " + channels + "]");
        out.put("range", "predicted noise of one branch (no guidance)");
        return s;
    }

    /**
     * Loads a SavedModel with DJL's TensorFlow engine and checks its serving signature.
     *
     * @param dir the SavedModel folder (with saved_model.pb)
     * @param inputs the expected inputs
     * @param output the expected output name
     * @return the model (the caller closes it)
     * @throws IllegalArgumentException naming what was expected when the signature differs
     */
    static Model load(Path dir, Map<String, Shape> inputs, String output) {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new IllegalArgumentException(dir + " is not a SavedModel folder (no saved_model.pb)");
        }
        TensorFlowNatives.ensure();
        Model model = Model.newInstance(dir.getFileName().toString(), Device.cpu(), TensorFlowBackend.ENGINE);
        try {
            model.load(dir, null, Map.of("Tags", "serve", "SignatureDefKey", KEY));
            ai.djl.nn.Block block = model.getBlock();
            PairList<String, Shape> in = block.describeInput();
            Map<String, Shape> actual = new LinkedHashMap<>();
            for (int i = 0; i < in.size(); i++) {
                actual.put(in.get(i).getKey(), in.get(i).getValue());
            }
            boolean ok = actual.keySet().equals(inputs.keySet());
            for (Map.Entry<String, Shape> e : inputs.entrySet()) {
                Shape a = actual.get(e.getKey());
                ok &= a != null && compatible(e.getValue(), a);
            }
            PairList<String, Shape> outs = ((ai.djl.tensorflow.engine.TfSymbolBlock) block).describeOutput();
            ok &= outs.size() == 1 && outs.get(0).getKey().equals(output);
            if (!ok) {
                throw new IllegalArgumentException("SavedModel " + dir + " has the wrong signature: expected inputs "
                        + describe(inputs) + " and output '" + output + "', found inputs " + describe(actual)
                        + " and outputs " + outs.keys());
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("could not load the SavedModel " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean compatible(Shape expected, Shape actual) {
        if (expected.dimension() != actual.dimension()) {
            return false;
        }
        for (int i = 0; i < expected.dimension(); i++) {
            long e = expected.get(i);
            long a = actual.get(i);
            if (e != -1 && a != -1 && e != a) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Map<String, Shape> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ').append(v));
        return sb.append('}').toString();
    }
}
