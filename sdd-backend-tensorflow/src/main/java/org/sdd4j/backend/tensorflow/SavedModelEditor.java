package org.sdd4j.backend.tensorflow;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdd4j.api.Editor;
import org.sdd4j.core.edit.GuidedUpsampler;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.spi.ForwardingEditor;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.nn.Ops;

/**
 * An editor over exported SavedModels, run by DJL's TensorFlow engine. Image handling (any size,
 * the model's residual upsampled onto the original, alpha / grey / 16-bit inputs, batching) is the
 * same code as the PyTorch editor's; only the network call differs.
 */
public final class SavedModelEditor extends ForwardingEditor {

    private final ManipulatorEditor editor;
    private final List<Model> models;

    private SavedModelEditor(ManipulatorEditor editor, List<Model> models) {
        this.editor = editor;
        this.models = models;
    }

    /**
     * Loads an export folder written by {@link SavedModelExport#exportEditor}, verifying checksums and
     * signatures.
     *
     * @param folder the export folder
     * @param parent a TensorFlow-engine manager
     * @return the editor
     */
    public static SavedModelEditor load(Path folder, NDManager parent) {
        JsonNode m = ModelFolder.readVerified(folder, SavedModelSignatures.EDITOR_FORMAT,
                SavedModelSignatures.FORMAT_VERSION, SavedModelSignatures.EDITOR_KIND);
        int res = m.path("resolution").asInt(0);
        if (res < EditorBundle.MIN_RESOLUTION || res > EditorBundle.MAX_RESOLUTION || res % 2 != 0) {
            throw new IllegalArgumentException(SavedModelSignatures.EDITOR_KIND + " " + folder + " declares resolution "
                    + m.path("resolution") + "; it must be an even number in [" + EditorBundle.MIN_RESOLUTION + ", "
                    + EditorBundle.MAX_RESOLUTION + "]");
        }
        Map<String, Manipulator> manips = new LinkedHashMap<>();
        Map<String, GuidedUpsampler> upsamplers = new LinkedHashMap<>();
        List<Model> models = new ArrayList<>();
        try {
            Iterator<Map.Entry<String, JsonNode>> it = m.path("edits").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Path dir = ModelFolder.listedFile(folder, m, e.getValue().path("savedModel").asText(""),
                        SavedModelSignatures.EDITOR_KIND);
                Model model = SavedModelSignatures.load(dir, SavedModelSignatures.editorInputs(res),
                        SavedModelSignatures.EDITOR_OUTPUT);
                models.add(model);
                manips.put(e.getKey(), new Network(model, e.getValue().path("width").asInt()));
                if (e.getValue().has("upsampler")) {
                    Model up = SavedModelSignatures.load(ModelFolder.listedFile(folder, m,
                            e.getValue().path("upsampler").asText(""), SavedModelSignatures.EDITOR_KIND),
                            SavedModelSignatures.upsamplerInputs(), SavedModelSignatures.UPSAMPLER_OUTPUT);
                    models.add(up);
                    upsamplers.put(e.getKey(), GuidedUpsampler.of(parent.newSubManager(), (ps, x) -> {
                        NDArray in = x.transpose(0, 2, 3, 1);
                        in.setName(SavedModelSignatures.UPSAMPLER_INPUT);
                        return up.getBlock().forward(ps, new NDList(in), false).singletonOrThrow().transpose(0, 3, 1, 2);
                    }, res, GuidedUpsampler.Network.of(e.getValue(), EditorBundle.UPSAMPLER_NETWORK)));
                }
            }
        } catch (RuntimeException ex) {
            upsamplers.values().forEach(GuidedUpsampler::close);
            models.forEach(Model::close);
            throw ex;
        }
        if (manips.isEmpty()) {
            throw new IllegalArgumentException("exported editor " + folder + " has no edits");
        }
        return new SavedModelEditor(ManipulatorEditor.of(parent, manips, res, m, upsamplers), models);
    }

    /** The model resolution. */
    public int resolution() {
        return editor.resolution();
    }

    @Override
    protected Editor delegate() {
        return editor;
    }

    /** How an edit is put back onto larger images, as the export records (see {@link ManipulatorEditor#putBack}). */
    public org.sdd4j.core.edit.FullResolution.Mode putBack(String edit) {
        return editor.putBack(edit);
    }

    /** The edit on BufferedImages (8-bit RGB results of the inputs' sizes). */
    public List<BufferedImage> editRgb(List<BufferedImage> images, String edit) {
        return editor.editRgb(images, edit);
    }

    @Override
    public void close() {
        editor.close();
        models.forEach(Model::close);
    }

    /** One SavedModel as a manipulator: NCHW [-1, 1] in and out, NHWC [0, 1] inside the model. */
    private record Network(Model model, int width) implements Manipulator {
        @Override
        public String architecture() {
            return "savedmodel";
        }

        @Override
        public Module block() {
            throw new UnsupportedOperationException("an exported SavedModel is inference-only; train on the"
                    + " pytorch backend");
        }

        @Override
        public Output applyWithMask(ParameterStore ps, NDArray y, boolean training) {
            NDArray in = Ops.div(y.transpose(0, 2, 3, 1).add(1f), 2f);
            in.setName(SavedModelSignatures.EDITOR_INPUT);
            NDList out = model.getBlock().forward(new ParameterStore(y.getManager(), false), new NDList(in), false);
            return new Output(Ops.mul(out.singletonOrThrow(), 2f).sub(1f).transpose(0, 3, 1, 2), null);
        }
    }
}
