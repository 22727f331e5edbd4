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
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.nn.TextEncoder;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;

/**
 * A diffusion teacher over an exported (or user-provided, same signature) SavedModel, run by DJL's
 * TensorFlow engine. It accepts arrays of any engine: inputs are copied into TensorFlow and the
 * guided prediction is returned in the caller's manager, so a manipulator can train on PyTorch
 * under a TensorFlow teacher. Every TensorFlow array of a call is freed when the call returns.
 */
public final class SavedModelTeacher implements DiffusionTeacher {

    private final String id;
    private final String checksum;
    private final Model model;
    private final NDManager manager;
    private final TextEncoder words;
    private final DiscreteNoiseSchedule schedule;
    private final TeacherSpace space;
    private final int vocab;

    private SavedModelTeacher(String id, String checksum, Model model, NDManager manager, UNetConfig config,
            DiscreteNoiseSchedule schedule) {
        this.id = id;
        this.checksum = checksum;
        this.model = model;
        this.manager = manager;
        this.words = new TextEncoder(config.vocabulary(), config.embDim());
        this.schedule = schedule;
        this.space = new TeacherSpace(SpaceKind.PIXEL, config.channels(), config.resolution(), config.resolution());
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
    public String id() {
        return id;
    }

    @Override
    public String checksum() {
        return checksum;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public TeacherSpace space() {
        return space;
    }

    @Override
    public PredictionType predictionType() {
        return PredictionType.EPSILON;
    }

    @Override
    public Conditioning encode(String prompt, NDManager m) {
        return encode(prompt, "", m);
    }

    @Override
    public Conditioning encode(String prompt, String negativePrompt, NDManager m) {
        NDArray both = words.bagOfWords(List.of(prompt, negativePrompt == null ? "" : negativePrompt), m);
        return new Conditioning(prompt, both.get("0:1"), both.get("1:2"));
    }

    @Override
    public NDArray predictNoise(NDArray xt, int[] timesteps, Conditioning c, float guidanceScale) {
        Shape s = xt.getShape();
        int ch = space.channels();
        int h = space.height();
        int w = space.width();
        if (s.dimension() != 4 || s.get(1) != ch || s.get(2) != h || s.get(3) != w) {
            throw new IllegalArgumentException("teacher " + id + " expects x_t of shape (B, " + ch + ", " + h + ", " + w
                    + "), got " + s);
        }
        int b = (int) s.get(0);
        if (timesteps.length != b) {
            throw new IllegalArgumentException(b + " samples but " + timesteps.length + " timesteps");
        }
        int hw = h * w;
        int per = ch * hw;
        float[] x = xt.toFloatArray();
        // both branches in one batch: rows [0, b) unconditional, [b, 2b) conditional; NCHW -> NHWC
        float[] x2 = new float[2 * b * per];
        float[] t2 = new float[2 * b];
        for (int i = 0; i < b; i++) {
            if (timesteps[i] < 0 || timesteps[i] >= schedule.numTimesteps()) {
                throw new IllegalArgumentException("timestep " + timesteps[i] + " is outside [0, "
                        + schedule.numTimesteps() + ")");
            }
            for (int k = 0; k < ch; k++) {
                for (int p = 0; p < hw; p++) {
                    float v = x[i * per + k * hw + p];
                    x2[i * per + p * ch + k] = v;
                    x2[(b + i) * per + p * ch + k] = v;
                }
            }
            t2[i] = timesteps[i];
            t2[b + i] = timesteps[i];
        }
        float[] uncond = c.unconditional().toFloatArray();
        float[] cond = c.conditional().toFloatArray();
        if (uncond.length != vocab || cond.length != vocab) {
            throw new IllegalArgumentException("conditioning of " + cond.length + " words does not match this teacher's"
                    + " vocabulary of " + vocab + "; encode prompts with this teacher");
        }
        float[] text = new float[2 * b * vocab];
        for (int i = 0; i < b; i++) {
            System.arraycopy(uncond, 0, text, i * vocab, vocab);
            System.arraycopy(cond, 0, text, (b + i) * vocab, vocab);
        }
        float[] eps;
        try (NDManager call = manager.newSubManager()) {
            NDArray xa = call.create(x2, new Shape(2L * b, h, w, ch));
            xa.setName(SavedModelSignatures.TEACHER_X);
            NDArray ta = call.create(t2, new Shape(2L * b));
            ta.setName(SavedModelSignatures.TEACHER_T);
            NDArray txt = call.create(text, new Shape(2L * b, vocab));
            txt.setName(SavedModelSignatures.TEACHER_TEXT);
            NDList out = model.getBlock().forward(new ParameterStore(call, false), new NDList(xa, ta, txt), false);
            eps = out.singletonOrThrow().toFloatArray();
        }
        // classifier-free guidance, back to NCHW
        float[] guided = new float[b * per];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < hw; p++) {
                for (int k = 0; k < ch; k++) {
                    float u = eps[i * per + p * ch + k];
                    float v = eps[(b + i) * per + p * ch + k];
                    guided[i * per + k * hw + p] = u + (v - u) * guidanceScale;
                }
            }
        }
        return xt.getManager().create(guided, s);
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }
}
