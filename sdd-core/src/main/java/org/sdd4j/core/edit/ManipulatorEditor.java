package org.sdd4j.core.edit;

import ai.djl.MalformedModelException;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;

/**
 * Applies the manipulators of an editor bundle in one forward pass per batch. Inputs of any size and
 * aspect are centred on a square and resized to the model resolution; the edit is carried back to the
 * input's size by {@link FullResolution}: replaced where the manipulator edited, full-resolution detail
 * kept elsewhere.
 * Thread-safe: every call works in its own memory scope.
 */
public final class ManipulatorEditor implements Editor {

    /** Largest batch sent through the network at once. */
    static final int MAX_BATCH = 64;

    private final NDManager manager;
    private final Map<String, Manipulator> manipulators;
    private final int resolution;
    private final JsonNode manifest;
    private final Map<String, GuidedUpsampler> upsamplers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Edits put back with {@link FullResolution.Mode#LEARNED} whatever the bundle records ({@link #useUpsampler}). */
    private final Set<String> learned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Each edit's target colours ({@link EditorBundle#targetColours}), for {@link FullResolution.Mode#EDGE_AWARE}. */
    private final Map<String, float[]> targetColours = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each edit's framing template ({@link EditorBundle#framingTemplate}), where the bundle records one. */
    private final Map<String, FramingTemplate> framingTemplates = new java.util.concurrent.ConcurrentHashMap<>();

    private ManipulatorEditor(NDManager manager, Map<String, Manipulator> manipulators, int resolution,
            JsonNode manifest) {
        this.manager = manager;
        this.manipulators = manipulators;
        this.resolution = resolution;
        this.manifest = manifest;
        Iterator<Map.Entry<String, JsonNode>> it = manifest == null ? Collections.emptyIterator()
                : manifest.path("edits").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                targetColours.put(e.getKey(), EditorBundle.targetColours(e.getValue()));
                FramingTemplate t = EditorBundle.framingTemplate(e.getValue(), resolution);
                if (t != null) {
                    framingTemplates.put(e.getKey(), t);
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("edit '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Loads a bundle, verifying format, version and checksums.
     *
     * @param bundle the folder
     * @param parent the engine manager the weights will live under
     * @return the editor
     */
    public static ManipulatorEditor load(Path bundle, NDManager parent) {
        JsonNode m = EditorBundle.readVerified(bundle);
        int res = m.path("resolution").asInt();
        NDManager manager = parent.newSubManager();
        Map<String, Manipulator> manips = new LinkedHashMap<>();
        try {
            Iterator<Map.Entry<String, JsonNode>> it = m.path("edits").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode entry = e.getValue();
                Manipulator manip = ResidualManipulator.create(entry.path("architecture").asText(),
                        entry.path("width").asInt());
                manip.block().initialize(manager);
                EditorBundle.readWeights(bundle, m, e.getKey(), manip.block(), manager);
                manip.block().freezeParameters(true);
                try {
                    manip.maskGain((float) entry.path(EditorBundle.MASK_GAIN).asDouble(1));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(bundle + ": edit '" + e.getKey() + "' records an unusable "
                            + EditorBundle.MASK_GAIN + ": " + ex.getMessage(), ex);
                }
                try {
                    manip.maskFloor((float) entry.path(EditorBundle.MASK_FLOOR).asDouble(0));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(bundle + ": edit '" + e.getKey() + "' records an unusable "
                            + EditorBundle.MASK_FLOOR + ": " + ex.getMessage(), ex);
                }
                manips.put(e.getKey(), manip);
            }
        } catch (RuntimeException ex) {
            manager.close();
            throw ex;
        }
        ManipulatorEditor editor;
        try {
            editor = new ManipulatorEditor(manager, manips, res, m);
        } catch (IllegalArgumentException ex) {
            manager.close();
            throw new IllegalArgumentException(bundle + ": " + ex.getMessage(), ex);
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.path("edits").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().has(EditorBundle.UPSAMPLER)) {
                try {
                    editor.upsampler(e.getKey(), GuidedUpsampler.fromWeights(ModelFolder.listedFile(bundle, m,
                            e.getValue().path(EditorBundle.UPSAMPLER).asText(""), "editor bundle"), res,
                            GuidedUpsampler.Network.of(e.getValue(), EditorBundle.UPSAMPLER_NETWORK), manager));
                } catch (RuntimeException ex) {
                    editor.close();
                    throw ex;
                }
            }
        }
        return editor;
    }

    /** Builds an editor around already trained manipulators (used while distilling, for previews). */
    public static ManipulatorEditor of(NDManager parent, Map<String, Manipulator> manipulators, int resolution) {
        return of(parent, manipulators, resolution, null);
    }

    /**
     * Builds an editor around manipulators loaded elsewhere (an export), with the manifest that records each edit's
     * {@code putBack} under {@code edits/<name>/putBack} (null: none recorded).
     */
    public static ManipulatorEditor of(NDManager parent, Map<String, Manipulator> manipulators, int resolution,
            JsonNode manifest) {
        NDManager manager = parent.newSubManager();
        try {
            return new ManipulatorEditor(manager, new LinkedHashMap<>(manipulators), resolution, manifest);
        } catch (IllegalArgumentException ex) {
            manager.close(); // a manifest with unusable target colours
            throw ex;
        }
    }

    /**
     * Lets an edit be put back with a learned guided upsampler under {@link FullResolution.Mode#LEARNED} (a bundle's
     * stored upsamplers are attached when it is loaded; this attaches another, to measure it before distilling with
     * it). The editor closes it.
     */
    public void upsampler(String edit, GuidedUpsampler u) {
        manipulator(edit);
        if (u.resolution() != resolution) {
            u.close();
            throw new IllegalArgumentException("the upsampler carries edits from " + u.resolution() + " px; this editor"
                    + " edits at " + resolution + " px");
        }
        GuidedUpsampler old = upsamplers.put(edit, u);
        if (old != null && old != u) {
            old.close();
        }
    }

    /**
     * Puts an edit back with the upsampler in {@code folder} ({@link FullResolution.Mode#LEARNED}) from now on,
     * whatever the bundle records: for an upsampler fine-tuned to the edit after it was distilled
     * ({@code sdd train-upsampler --editor}). The bundle itself is not changed.
     *
     * @throws IllegalArgumentException for an unknown edit, or an upsampler that is damaged or made for another
     *     resolution
     */
    public void useUpsampler(String edit, Path folder) {
        manipulator(edit);
        GuidedUpsampler.check(folder, resolution);
        upsampler(edit, GuidedUpsampler.load(folder, manager));
        learned.add(edit);
    }

    /** Whether an edit has a learned upsampler, so that {@link FullResolution.Mode#LEARNED} can be used. */
    public boolean hasUpsampler(String edit) {
        return upsamplers.containsKey(edit);
    }

    /**
     * Builds an editor around manipulators and guided upsamplers loaded elsewhere (an export); the editor closes
     * the upsamplers.
     */
    public static ManipulatorEditor of(NDManager parent, Map<String, Manipulator> manipulators, int resolution,
            JsonNode manifest, Map<String, GuidedUpsampler> upsamplers) {
        ManipulatorEditor e = of(parent, manipulators, resolution, manifest);
        upsamplers.forEach(e::upsampler);
        return e;
    }

    /** An edit's learned upsampler, or null (for export). */
    public GuidedUpsampler upsampler(String edit) {
        manipulator(edit);
        return upsamplers.get(edit);
    }

    /** The bundle's manifest (null for an in-memory editor). */
    public JsonNode manifest() {
        return manifest;
    }

    /** The model resolution. */
    public int resolution() {
        return resolution;
    }

    /** The manipulators by edit name (for export). */
    public Map<String, Manipulator> manipulators() {
        return Collections.unmodifiableMap(manipulators);
    }

    @Override
    public Set<String> edits() {
        return Collections.unmodifiableSet(manipulators.keySet());
    }

    private Manipulator manipulator(String edit) {
        Manipulator m = manipulators.get(edit);
        if (m == null) {
            throw new IllegalArgumentException("edit \"" + edit + "\" is not in this editor; it knows: "
                    + manipulators.keySet());
        }
        return m;
    }

    @Override
    public Image edit(Image image, String edit) {
        return edit(List.of(image), edit).get(0);
    }

    @Override
    public List<Image> edit(List<Image> images, String edit) {
        List<BufferedImage> rgb = new ArrayList<>(images.size());
        for (Image im : images) {
            rgb.add(ImageTensors.toRgb(im));
        }
        List<Image> out = new ArrayList<>(images.size());
        for (BufferedImage b : editRgb(rgb, edit)) {
            out.add(ImageFactory.getInstance().fromImage(b));
        }
        return out;
    }

    /** The same edit on BufferedImages (8-bit RGB results of the inputs' sizes), put back as the bundle records. */
    public List<BufferedImage> editRgb(List<BufferedImage> images, String edit) {
        return editRgb(images, edit, putBack(edit));
    }

    /**
     * How an edit is put back onto larger images: {@link FullResolution.Mode#LEARNED} after {@link #useUpsampler},
     * else the {@code putBack} its bundle entry records (see {@link org.sdd4j.api.PutBack}),
     * {@link FullResolution.Mode#BLEND} for bundles that record none.
     *
     * @throws IllegalArgumentException for an unknown edit or an unknown recorded value
     */
    public FullResolution.Mode putBack(String edit) {
        manipulator(edit);
        if (learned.contains(edit)) {
            return FullResolution.Mode.LEARNED;
        }
        String v = manifest == null ? "" : manifest.path("edits").path(edit).path("putBack").asText("");
        if (v.isEmpty()) {
            return FullResolution.Mode.BLEND;
        }
        try {
            return FullResolution.Mode.valueOf(org.sdd4j.api.PutBack.valueOf(v).name());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the bundle records putBack '" + v + "' for edit '" + edit
                    + "'; known: " + java.util.Arrays.toString(org.sdd4j.api.PutBack.values()), e);
        }
    }

    /**
     * The edit on BufferedImages, put back onto each input's size with the given mode (see
     * {@link FullResolution}); for measuring the modes against each other.
     */
    public List<BufferedImage> editRgb(List<BufferedImage> images, String edit, FullResolution.Mode mode) {
        return editRgb(images, edit, List.of(mode)).get(mode);
    }

    /**
     * The edit on BufferedImages put back with each of several modes: the manipulator runs once and its output is
     * put back once per mode, so comparing the modes costs one edit.
     */
    public Map<FullResolution.Mode, List<BufferedImage>> editRgb(List<BufferedImage> images, String edit,
            List<FullResolution.Mode> modes) {
        Manipulator manip = manipulator(edit);
        GuidedUpsampler up = upsamplers.get(edit);
        float[] targets = targetColours.getOrDefault(edit, FullResolution.NO_TARGETS);
        if (modes.contains(FullResolution.Mode.LEARNED) && up == null) {
            throw new IllegalArgumentException("edit \"" + edit + "\" has no learned upsampler; distil it with"
                    + " --put-back LEARNED --upsampler DIR");
        }
        Map<FullResolution.Mode, List<BufferedImage>> out = new java.util.EnumMap<>(FullResolution.Mode.class);
        for (FullResolution.Mode mode : modes) {
            out.put(mode, new ArrayList<>(images.size()));
        }
        for (int from = 0; from < images.size(); from += MAX_BATCH) {
            List<BufferedImage> chunk = images.subList(from, Math.min(images.size(), from + MAX_BATCH));
            // converted once: for a large image the conversion costs as much as the edit
            List<BufferedImage> rgb = chunk.stream().map(ImageTensors::toRgb).toList();
            List<BufferedImage> inputs = new ArrayList<>(chunk.size());
            for (BufferedImage b : rgb) {
                inputs.add(FullResolution.squareInput(b, resolution));
            }
            float[] y;
            float[] edited;
            try (NDManager call = manager.newSubManager()) {
                NDArray x = ImageTensors.batch(inputs, resolution, call);
                edited = manip.apply(new ParameterStore(call, false), x, false).toFloatArray();
                y = x.toFloatArray();
            }
            int per = 3 * resolution * resolution;
            for (FullResolution.Mode mode : modes) {
                BufferedImage[] composed = new BufferedImage[chunk.size()];
                java.util.stream.IntStream range = java.util.stream.IntStream.range(0, chunk.size());
                // the put-back is plain Java per image, so images are put back on every core; the learned one runs
                // a network through the engine's own threads, one image at a time
                (mode == FullResolution.Mode.LEARNED ? range : range.parallel()).forEach(i -> composed[i] =
                        FullResolution.compose(rgb.get(i), y, edited, i * per, resolution, mode, up, targets));
                out.get(mode).addAll(java.util.Arrays.asList(composed));
            }
        }
        return out;
    }

    /**
     * The colours the edit's training images that show its target have and the others do not, as 0-255 RGB triples
     * ({@link org.sdd4j.core.data.TargetColours}); {@link FullResolution.Mode#EDGE_AWARE} gives a region the edit
     * recolours whole the nearest of them when its new colour is close. Empty when the bundle records none.
     */
    public List<int[]> targetColours(String edit) {
        manipulator(edit); // an unknown edit is refused as when editing
        float[] t = targetColours.getOrDefault(edit, FullResolution.NO_TARGETS);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < t.length; i += 3) {
            out.add(new int[] {ImageTensors.toByte(t[i]), ImageTensors.toByte(t[i + 1]),
                ImageTensors.toByte(t[i + 2])});
        }
        return out;
    }

    /**
     * Where the training pictures of an edit have their subject ({@link FramingTemplate}), to align a user's box with
     * {@link FramingTemplate#align}; empty when the bundle records none (distilled before templates were recorded).
     *
     * @throws IllegalArgumentException for an edit the bundle does not have
     */
    public java.util.Optional<FramingTemplate> framingTemplate(String edit) {
        manipulator(edit); // an unknown edit is refused as when editing
        return java.util.Optional.ofNullable(framingTemplates.get(edit));
    }

    /**
     * Edits with {@code edit} from now on without its target colours: a region it recolours whole keeps the colour the
     * manipulator gives it ({@code sdd edit --no-target-colours}).
     */
    public void ignoreTargetColours(String edit) {
        manipulator(edit);
        targetColours.put(edit, FullResolution.NO_TARGETS);
    }

    @Override
    public void close() {
        upsamplers.values().forEach(GuidedUpsampler::close);
        manager.close();
    }
}
