package org.sdd4j.backend.tensorflow;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.nn.TextEncoder;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.teacher.TeacherBase;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;

/**
 * A diffusion teacher over an exported (or user-provided, same signature) SavedModel, run by DJL's
 * TensorFlow engine. It accepts arrays of any engine: inputs are copied into TensorFlow and the
 * guided prediction is returned in the caller's manager, so a manipulator can train on PyTorch
 * under a TensorFlow teacher. Every TensorFlow array of a call is freed when the call returns.
 */
public final class SavedModelTeacher extends TeacherBase {

    private final Model model;
    private final NDManager manager;
    private final TextEncoder words;
    private final int vocab;

    private SavedModelTeacher(String id, String checksum, Model model, NDManager manager, UNetConfig config,
            DiscreteNoiseSchedule schedule) {
        super(id, checksum, schedule, new TeacherSpace(SpaceKind.PIXEL, config.channels(), config.resolution(),
                config.resolution()), PredictionType.EPSILON);
        this.model = model;
        this.manager = manager;
        this.words = new TextEncoder(config.vocabulary(), config.embDim());
        this.vocab = config.vocabulary().size() + 2;
    }

    /**
     * Loads an exported teacher folder, verifying the format, checksum and signature.
     *
     * @param folder the folder written by {@link SavedModelExport#exportTeacher}
     * @param parent a TensorFlow-engine manager
     * @return the teacher
     */
    public static SavedModelTeacher load(Path folder, NDManager parent) {
        JsonNode m = ModelFolder.readVerified(folder, SavedModelSignatures.TEACHER_FORMAT,
                SavedModelSignatures.FORMAT_VERSION, SavedModelSignatures.TEACHER_KIND);
        UNetConfig config = Json.as(m.path("architecture"), UNetConfig.class);
        DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.byName(m.path("schedule").path("name").asText(),
                m.path("schedule").path("timesteps").asInt());
        String name = m.path("savedModel").asText("");
        Path dir = ModelFolder.listedFile(folder, m, name, SavedModelSignatures.TEACHER_KIND);
        String sha = m.path("files").path(name).asText();
        Model model = SavedModelSignatures.load(dir, SavedModelSignatures.teacherInputs(config.resolution(),
                config.channels(), config.vocabulary().size() + 2), SavedModelSignatures.TEACHER_OUTPUT);
        return new SavedModelTeacher(m.path("id").asText(folder.getFileName().toString()), sha, model,
                parent.newSubManager(), config, schedule);
    }






    @Override
    public NDArray embed(List<String> prompts, NDManager m) {
        return words.bagOfWords(prompts, m);
    }

    /** Runs the SavedModel on arrays of any engine: NCHW in, channels-last inside, NCHW out on xt's manager. */
    @Override
    public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
        Shape s = xt.getShape();
        int ch = space().channels();
        int h = space().height();
        int w = space().width();
        int b = (int) s.get(0);
        int hw = h * w;
        int per = ch * hw;
        float[] text = embeddings.toFloatArray();
        if (text.length != (long) b * vocab) {
            throw new IllegalArgumentException("embeddings of " + embeddings.getShape() + " do not match this teacher's"
                    + " vocabulary of " + vocab + " words for " + b + " samples; encode prompts with this teacher");
        }
        float[] x = xt.toFloatArray();
        float[] nhwc = new float[b * per];
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < ch; k++) {
                for (int p = 0; p < hw; p++) {
                    nhwc[i * per + p * ch + k] = x[i * per + k * hw + p];
                }
            }
            tf[i] = timesteps[i];
        }
        float[] out;
        try (NDManager call = manager.newSubManager()) {
            NDArray xa = call.create(nhwc, new Shape(b, h, w, ch));
            xa.setName(SavedModelSignatures.TEACHER_X);
            NDArray ta = call.create(tf, new Shape(b));
            ta.setName(SavedModelSignatures.TEACHER_T);
            NDArray txt = call.create(text, new Shape(b, vocab));
            txt.setName(SavedModelSignatures.TEACHER_TEXT);
            out = model.getBlock().forward(new ParameterStore(call, false), new NDList(xa, ta, txt), false)
                    .singletonOrThrow().toFloatArray();
        }
        float[] nchw = new float[b * per];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < hw; p++) {
                for (int k = 0; k < ch; k++) {
                    nchw[i * per + k * hw + p] = out[i * per + p * ch + k];
                }
            }
        }
        return xt.getManager().create(nchw, s);
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }
}
