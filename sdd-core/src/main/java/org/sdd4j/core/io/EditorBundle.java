package org.sdd4j.core.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * An editor bundle: a folder with {@code manifest.json} and one weight file per edit, read and written
 * only here. The manifest records the model resolution, the teacher, and per edit the prompt, the
 * manipulator, its weight file, the timestep selection and how it was trained; its {@code files} list
 * has the SHA-256 of every weight file. Each weight file starts with a header (architecture, width,
 * resolution) so that a manifest edited by hand cannot make the weights run at the wrong size.
 * Written through {@link ModelFolder}: adding an edit never loses the others, even on a crash.
 */
public final class EditorBundle {

    /** The bundle format name. */
    public static final String FORMAT = "sdd-editor";
    /** The bundle format version this library reads and writes. */
    public static final int FORMAT_VERSION = 2;
    /** Smallest and largest model resolution a bundle may declare. */
    public static final int MIN_RESOLUTION = 8;
    /** Largest model resolution a bundle may declare. */
    public static final int MAX_RESOLUTION = 1024;
    /** Largest manipulator width a bundle may declare. */
    public static final int MAX_WIDTH = 512;

    private static final String KIND = "editor bundle";
    private static final String WEIGHTS_MAGIC = "SDD-MANIPULATOR";
    private static final int WEIGHTS_VERSION = 1;
    /** The entry field naming an edit's guided upsampler weights (put-back LEARNED). */
    public static final String UPSAMPLER = "upsampler";
    /** The entry field naming the network of an edit's guided upsampler (absent: the first release's U-shape). */
    public static final String UPSAMPLER_NETWORK = "upsamplerNetwork";
    /** The entry field holding how far an edit's mask opens when editing (absent: 1). */
    public static final String MASK_GAIN = "maskGain";
    /** Manifest key of an edit's mask floor (the part of the mask closed when editing; absent: 0). */
    public static final String MASK_FLOOR = "maskFloor";

    /**
     * Manifest key of an edit's target colours: 0-255 RGB triples of the colours that tell the training images showing
     * the target from the rest ({@link org.sdd4j.core.data.TargetColours}; absent or empty: none).
     */
    public static final String TARGET_COLOURS = "targetColours";

    /**
     * Manifest key of an edit's framing template: the mean edge strength of its training images at the model's
     * resolution, row by row ({@link org.sdd4j.core.edit.FramingTemplate}; absent: none).
     */
    public static final String FRAMING_TEMPLATE = "framingTemplate";

    private EditorBundle() {}

    /**
     * An edit's target colours as RGB triples in [-1, 1], flattened (empty when the entry records none).
     *
     * @throws IllegalArgumentException when the entry records them in another form
     */
    public static float[] targetColours(JsonNode entry) {
        JsonNode list = entry.path(TARGET_COLOURS);
        if (list.isMissingNode()) {
            return new float[0];
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(TARGET_COLOURS + " must be a list of [r, g, b] triples, got " + list);
        }
        float[] out = new float[3 * list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            if (!t.isArray() || t.size() != 3) {
                throw new IllegalArgumentException(TARGET_COLOURS + "[" + i + "] must be [r, g, b], got " + t);
            }
            for (int c = 0; c < 3; c++) {
                JsonNode v = t.get(c);
                if (!v.isInt() || v.asInt() < 0 || v.asInt() > 255) {
                    throw new IllegalArgumentException(TARGET_COLOURS + "[" + i + "] must hold integers in [0, 255],"
                            + " got " + t);
                }
                out[3 * i + c] = v.asInt() / 127.5f - 1f;
            }
        }
        return out;
    }

    /**
     * An edit's framing template, or null when the entry records none.
     *
     * @param resolution the bundle's resolution
     * @throws IllegalArgumentException when the entry records it in another form
     */
    public static org.sdd4j.core.edit.FramingTemplate framingTemplate(JsonNode entry, int resolution) {
        JsonNode list = entry.path(FRAMING_TEMPLATE);
        if (list.isMissingNode()) {
            return null;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(FRAMING_TEMPLATE + " must be a list of numbers, got "
                    + list.getNodeType());
        }
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (!list.get(i).isNumber()) {
                throw new IllegalArgumentException(FRAMING_TEMPLATE + "[" + i + "] must be a number, got "
                        + list.get(i));
            }
            v[i] = (float) list.get(i).asDouble();
        }
        try {
            return org.sdd4j.core.edit.FramingTemplate.of(v, resolution);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FRAMING_TEMPLATE + ": " + e.getMessage(), e);
        }
    }

    /** Records a framing template in an edit's entry (four decimals a value). */
    public static void putFramingTemplate(com.fasterxml.jackson.databind.node.ObjectNode entry,
            org.sdd4j.core.edit.FramingTemplate template) {
        com.fasterxml.jackson.databind.node.ArrayNode list = entry.putArray(FRAMING_TEMPLATE);
        for (float x : template.values()) {
            list.add(Math.round(x * 1e4) / 1e4);
        }
    }

    /** What an edit's weight file says about itself. */
    public record WeightsHeader(String architecture, int width, int resolution) {}

    /**
     * Reads and checks a bundle: format, version, checksums, paths inside the folder, and every field
     * within sane bounds.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static JsonNode readVerified(Path bundle) {
        JsonNode m = ModelFolder.readVerified(bundle, FORMAT, FORMAT_VERSION, KIND);
        int res = m.path("resolution").asInt(-1);
        if (!m.path("resolution").isInt() || res < MIN_RESOLUTION || res > MAX_RESOLUTION || res % 2 != 0) {
            throw new IllegalArgumentException(KIND + " " + bundle + " declares resolution " + m.path("resolution")
                    + "; it must be an even number in [" + MIN_RESOLUTION + ", " + MAX_RESOLUTION + "]");
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.path("edits").fields();
        if (!it.hasNext()) {
            throw new IllegalArgumentException(KIND + " " + bundle + " has no edits");
        }
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode w = e.getValue().path("width");
            if (!w.isInt() || w.asInt() < 1 || w.asInt() > MAX_WIDTH) {
                throw new IllegalArgumentException("edit '" + e.getKey() + "' of " + bundle + " declares width " + w
                        + "; it must be an integer in [1, " + MAX_WIDTH + "]");
            }
            ModelFolder.listedFile(bundle, m, e.getValue().path("weights").asText(""), KIND);
            if (e.getValue().has(UPSAMPLER)) {
                ModelFolder.listedFile(bundle, m, e.getValue().path(UPSAMPLER).asText(""), KIND);
            } else if ("LEARNED".equals(e.getValue().path("putBack").asText())) {
                throw new IllegalArgumentException("edit '" + e.getKey() + "' of " + bundle + " records put-back LEARNED"
                        + " but stores no upsampler; distil it again with --upsampler DIR");
            }
        }
        return m;
    }

    /** The weight file of one edit of a verified bundle. */
    public static Path weightsFile(Path bundle, String edit) {
        JsonNode m = readVerified(bundle);
        if (!m.path("edits").has(edit)) {
            throw new IllegalArgumentException(KIND + " " + bundle + " has no edit '" + edit + "'");
        }
        return ModelFolder.listedFile(bundle, m, m.path("edits").path(edit).path("weights").asText(""), KIND);
    }

    /**
     * Loads an edit's weights into an initialised block, checking the file's header against the manifest.
     *
     * @throws IllegalArgumentException if the weights do not match what the manifest declares
     */
    public static void readWeights(Path bundle, JsonNode manifest, String edit, Block block, NDManager manager) {
        JsonNode entry = manifest.path("edits").path(edit);
        Path w = ModelFolder.listedFile(bundle, manifest, entry.path("weights").asText(""), KIND);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(w))) {
            DataInputStream in = new DataInputStream(raw);
            if (!WEIGHTS_MAGIC.equals(in.readUTF()) || in.readInt() != WEIGHTS_VERSION) {
                throw new IllegalArgumentException("the weights of edit '" + edit + "' (" + w + ") are not manipulator"
                        + " weights of this library version");
            }
            WeightsHeader h = new WeightsHeader(in.readUTF(), in.readInt(), in.readInt());
            WeightsHeader declared = new WeightsHeader(entry.path("architecture").asText(), entry.path("width").asInt(),
                    manifest.path("resolution").asInt());
            if (!h.equals(declared)) {
                throw new IllegalArgumentException("edit '" + edit + "' of " + bundle + ": the manifest declares "
                        + declared + " but its weights were trained as " + h + "; the manifest was changed after"
                        + " training");
            }
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | IllegalStateException e) {
            throw new IllegalArgumentException("could not read the weights of edit '" + edit + "' from " + w + ": "
                    + e.getMessage(), e);
        }
    }

    /** The options of {@link #addEdit}. */
    public record Target(Path bundle, boolean replaceEdit, boolean force) {}

    /**
     * Checks, before a long run, that {@link #addEdit} will accept the target (without writing).
     *
     * @throws IllegalArgumentException saying why not
     */
    public static void checkWritable(Target target, String edit) {
        JsonNode old = ModelFolder.check(target.bundle(), FORMAT, FORMAT_VERSION, KIND, target.force());
        if (old != null && old.path("edits").has(edit) && !target.replaceEdit()) {
            throw alreadyHas(target.bundle(), edit);
        }
    }

    private static IllegalArgumentException alreadyHas(Path bundle, String edit) {
        return new IllegalArgumentException(KIND + " " + bundle + " already has the edit '" + edit
                + "'; pass --replace to replace it (the other edits are kept)");
    }

    /**
     * Adds one edit, keeping the bundle's other edits; the folder switches to the new manifest atomically.
     *
     * @param target the bundle folder (created if missing) and what may be replaced
     * @param edit the edit's name
     * @param entry the manifest entry (prompt, training, ...); architecture, width, weights are filled in
     * @param weights the trained manipulator
     * @param header the bundle's top-level fields (resolution, teacher)
     * @return the manifest written
     * @throws IllegalArgumentException if the edit exists and {@code replaceEdit} is false, or the bundle is
     *     of another resolution or teacher
     */
    public static JsonNode addEdit(Target target, String edit, ObjectNode entry, WeightsHeader weightsHeader,
            Block weights, ObjectNode header) {
        return addEdit(target, edit, entry, weightsHeader, weights, header, null);
    }

    /**
     * {@link #addEdit(Target, String, ObjectNode, WeightsHeader, Block, ObjectNode)}, storing with the edit the
     * weights file of its guided upsampler (null: none), named in the entry's {@value #UPSAMPLER} field.
     */
    public static JsonNode addEdit(Target target, String edit, ObjectNode entry, WeightsHeader weightsHeader,
            Block weights, ObjectNode header, Path upsamplerWeights) {
        return addEdit(target, edit, entry, weightsHeader, header, upsamplerWeights, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(WEIGHTS_MAGIC);
            out.writeInt(WEIGHTS_VERSION);
            out.writeUTF(weightsHeader.architecture());
            out.writeInt(weightsHeader.width());
            out.writeInt(weightsHeader.resolution());
            weights.saveParameters(out);
            out.flush();
        });
    }

    /**
     * Copies one edit of a bundle into another (for example edits distilled separately, merged into one
     * bundle), with the same checks and atomic switch as {@link #addEdit}.
     *
     * @param from the verified source bundle
     * @param edit the edit to copy
     * @param target the bundle to add it to
     * @return the manifest written
     */
    public static JsonNode copyEdit(Path from, String edit, Target target) {
        return copyEdit(from, edit, target, Json.object(), null);
    }

    /**
     * {@link #copyEdit(Path, String, Target)} with fields of the edit's entry replaced and, unless null, another
     * upsampler's weights stored with it in place of the source's (for an upsampler fine-tuned to the edit after it was
     * distilled: {@code putBack} LEARNED and the {@value #UPSAMPLER_NETWORK} the weights are of).
     */
    public static JsonNode copyEdit(Path from, String edit, Target target, ObjectNode replaced, Path upsamplerWeights) {
        JsonNode m = readVerified(from);
        JsonNode entry = m.path("edits").path(edit);
        if (entry.isMissingNode()) {
            throw new IllegalArgumentException(KIND + " " + from + " has no edit '" + edit + "'");
        }
        Path weights = ModelFolder.listedFile(from, m, entry.path("weights").asText(""), KIND);
        ObjectNode header = Json.object();
        for (String field : new String[] {"resolution", "teacher"}) {
            if (m.has(field)) {
                header.set(field, m.get(field));
            }
        }
        WeightsHeader wh = new WeightsHeader(entry.path("architecture").asText(), entry.path("width").asInt(),
                m.path("resolution").asInt());
        Path upsampler = upsamplerWeights != null ? upsamplerWeights : entry.has(UPSAMPLER)
                ? ModelFolder.listedFile(from, m, entry.path(UPSAMPLER).asText(""), KIND) : null;
        ObjectNode copy = (ObjectNode) entry.deepCopy();
        copy.setAll(replaced);
        return addEdit(target, edit, copy, wh, header, upsampler, raw -> Files.copy(weights, raw));
    }

    private static JsonNode addEdit(Target target, String edit, ObjectNode entry, WeightsHeader weightsHeader,
            ObjectNode header, Path upsamplerWeights, AtomicFiles.Writer weightsWriter) {
        try (ModelFolder folder = ModelFolder.open(target.bundle(), FORMAT, FORMAT_VERSION, KIND, target.force())) {
            ObjectNode manifest;
            JsonNode old = folder.previous();
            if (old != null) {
                readVerified(target.bundle());
                manifest = (ObjectNode) old.deepCopy();
                for (String field : new String[] {"resolution", "teacher"}) {
                    if (!old.path(field).equals(header.path(field))) {
                        throw new IllegalArgumentException(KIND + " " + target.bundle() + " has " + field + " "
                                + old.path(field) + ", the new edit " + header.path(field)
                                + "; distil it into another bundle");
                    }
                }
                if (old.path("edits").has(edit) && !target.replaceEdit()) {
                    throw alreadyHas(target.bundle(), edit);
                }
                Iterator<Map.Entry<String, JsonNode>> it = old.path("edits").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().equals(edit)) {
                        folder.keep(e.getValue().path("weights").asText());
                        if (e.getValue().has(UPSAMPLER)) {
                            folder.keep(e.getValue().path(UPSAMPLER).asText());
                        }
                    }
                }
            } else {
                manifest = Json.object();
                manifest.put("format", FORMAT);
                manifest.put("formatVersion", FORMAT_VERSION);
                manifest.setAll(header);
                manifest.putObject("edits");
            }
            // the name's hash keeps file names distinct for edits such as "a b" and "a_b"
            String file = folder.addFile(edit + "-" + ModelFolder.nameHash(edit), "params", weightsWriter);
            entry.put("architecture", weightsHeader.architecture());
            entry.put("width", weightsHeader.width());
            entry.put("weights", file);
            entry.remove(UPSAMPLER);
            if (upsamplerWeights == null) {
                entry.remove(UPSAMPLER_NETWORK);
            } else {
                entry.put(UPSAMPLER, folder.addFile(edit + "-upsampler-" + ModelFolder.nameHash(edit), "params",
                        raw -> Files.copy(upsamplerWeights, raw)));
            }
            ((ObjectNode) manifest.get("edits")).set(edit, entry);
            folder.commit(manifest);
            return manifest;
        }
    }
}
