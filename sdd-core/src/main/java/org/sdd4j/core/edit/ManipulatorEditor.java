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
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;

/**
 * Applies the manipulators of an editor bundle in one forward pass per batch. Inputs of any size are
 * resized to the model resolution; the edit's residual (output minus input at that resolution) is
 * upsampled bilinearly and added to the original, so full-resolution detail outside the edit survives.
 * Thread-safe: every call works in its own memory scope.
 */
public final class ManipulatorEditor implements Editor {

    /** Largest batch sent through the network at once. */
    static final int MAX_BATCH = 64;

    private final NDManager manager;
    private final Map<String, Manipulator> manipulators;
    private final int resolution;
    private final JsonNode manifest;

    private ManipulatorEditor(NDManager manager, Map<String, Manipulator> manipulators, int resolution,
            JsonNode manifest) {
        this.manager = manager;
        this.manipulators = manipulators;
        this.resolution = resolution;
        this.manifest = manifest;
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
                manips.put(e.getKey(), manip);
            }
        } catch (RuntimeException ex) {
            manager.close();
            throw ex;
        }
        return new ManipulatorEditor(manager, manips, res, m);
    }

    /** Builds an editor around already trained manipulators (used while distilling, for previews). */
    public static ManipulatorEditor of(NDManager parent, Map<String, Manipulator> manipulators, int resolution) {
        return new ManipulatorEditor(parent.newSubManager(), new LinkedHashMap<>(manipulators), resolution, null);
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

    /** The same edit on BufferedImages (8-bit RGB results of the inputs' sizes). */
    public List<BufferedImage> editRgb(List<BufferedImage> images, String edit) {
        Manipulator manip = manipulator(edit);
        List<BufferedImage> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += MAX_BATCH) {
            List<BufferedImage> chunk = images.subList(from, Math.min(images.size(), from + MAX_BATCH));
            float[] residual;
            try (NDManager call = manager.newSubManager()) {
                NDArray y = ImageTensors.batch(chunk, resolution, call);
                NDArray edited = manip.apply(new ParameterStore(call, false), y, false);
                residual = edited.sub(y).toFloatArray();
            }
            int per = 3 * resolution * resolution;
            for (int i = 0; i < chunk.size(); i++) {
                out.add(applyResidual(ImageTensors.toRgb(chunk.get(i)), residual, i * per, resolution));
            }
        }
        return out;
    }

    /**
     * original + upsample(residual), clamped. The residual (CHW at res x res, in [-1, 1] units) is
     * sampled bilinearly at each output pixel's centre.
     */
    static BufferedImage applyResidual(BufferedImage original, float[] residual, int offset, int res) {
        int w = original.getWidth();
        int h = original.getHeight();
        int hw = res * res;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        // strips of rows keep the working arrays small whatever the image size
        int strip = Math.max(1, Math.min(h, (1 << 20) / Math.max(1, w)));
        int[] px = new int[strip * w];
        for (int top = 0; top < h; top += strip) {
            int rows = Math.min(strip, h - top);
            original.getRGB(0, top, w, rows, px, 0, w);
            for (int r = 0; r < rows; r++) {
                int yy = top + r;
                double sy = Math.min(Math.max((yy + 0.5) * res / h - 0.5, 0), res - 1);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, res - 1);
                double fy = sy - y0;
                for (int xx = 0; xx < w; xx++) {
                    double sx = Math.min(Math.max((xx + 0.5) * res / w - 0.5, 0), res - 1);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, res - 1);
                    double fx = sx - x0;
                    int p = px[r * w + xx];
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        int base = offset + c * hw;
                        double d = (1 - fy) * ((1 - fx) * residual[base + y0 * res + x0]
                                + fx * residual[base + y0 * res + x1])
                                + fy * ((1 - fx) * residual[base + y1 * res + x0] + fx * residual[base + y1 * res + x1]);
                        int v = (p >> (16 - 8 * c)) & 0xFF;
                        int nv = (int) Math.round(v + d * 127.5);
                        nv = nv < 0 ? 0 : Math.min(nv, 255);
                        rgb |= nv << (16 - 8 * c);
                    }
                    px[r * w + xx] = rgb;
                }
            }
            out.setRGB(0, top, w, rows, px, 0, w);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
