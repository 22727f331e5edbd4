package org.sdd4j.core.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.MalformedModelException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.SpaceKind;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.nn.UNet;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;

/**
 * The library's own pixel-space teacher: a text-conditional U-Net predicting epsilon, loaded from a
 * teacher folder ({@code manifest.json} + {@code teacher.params}).
 */
public final class UNetTeacher extends TeacherBase {

    /** The teacher folder format name. */
    public static final String FORMAT = "sdd-unet";
    /** The current teacher folder format version. */
    public static final int FORMAT_VERSION = 1;
    /** Weight file name inside a teacher folder. */
    public static final String WEIGHTS = "teacher.params";
    private static final String KIND = "teacher folder";

    private final UNet net;
    private final DiscreteNoiseSchedule schedule;
    private final NDManager manager;
    private final JsonNode manifest;

    UNetTeacher(String id, String checksum, UNet net, DiscreteNoiseSchedule schedule, NDManager manager,
            JsonNode manifest) {
        super(id, checksum, schedule, new TeacherSpace(SpaceKind.PIXEL, net.config().channels(),
                net.config().resolution(), net.config().resolution()), PredictionType.EPSILON);
        this.net = net;
        this.schedule = schedule;
        this.manager = manager;
        this.manifest = manifest;
        net.freezeParameters(true);
    }

    /**
     * Loads a teacher folder, verifying its format version and the weights' SHA-256.
     *
     * @param folder the teacher folder
     * @param parent the manager the teacher's weights will live under
     * @return the teacher
     */
    public static UNetTeacher load(Path folder, NDManager parent) {
        JsonNode m = verifiedManifest(folder);
        UNetConfig config = Json.as(m.path("architecture"), UNetConfig.class);
        DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.byName(m.path("schedule").path("name").asText(),
                m.path("schedule").path("timesteps").asInt());
        NDManager manager = parent.newSubManager();
        UNet net = new UNet(config);
        net.initialize(manager);
        try {
            readWeights(folder, m, net, manager);
        } catch (IllegalArgumentException e) {
            manager.close();
            throw e;
        }
        return new UNetTeacher(m.path("id").asText(folder.getFileName().toString()),
                weightsSha256(m), net, schedule, manager, m);
    }

    /**
     * Loads a teacher folder's weights into a network of the same architecture (to continue training
     * from it), verifying format, checksum and architecture.
     *
     * @param folder the teacher folder
     * @param net an initialised network
     * @param manager the manager of the network's weights
     */
    public static void loadInto(Path folder, UNet net, NDManager manager) {
        JsonNode m = verifiedManifest(folder);
        UNetConfig config = Json.as(m.path("architecture"), UNetConfig.class);
        if (!config.equals(net.config())) {
            throw new IllegalArgumentException("teacher " + folder + " has the architecture " + Json.tree(config)
                    + " but the network to start from it has " + Json.tree(net.config()));
        }
        readWeights(folder, m, net, manager);
    }

    private static JsonNode verifiedManifest(Path folder) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, FORMAT_VERSION, KIND);
        ModelFolder.listedFile(folder, m, weightsName(m), KIND);
        return m;
    }

    /** The weight file's name in a teacher manifest (folders written before it was recorded use the old fixed name). */
    static String weightsName(JsonNode manifest) {
        return manifest.path("weights").asText(WEIGHTS);
    }

    /** The SHA-256 of a teacher's weights, as its manifest records it. */
    public static String weightsSha256(JsonNode manifest) {
        return manifest.path("files").path(weightsName(manifest)).asText("");
    }

    /** The weight file of a verified teacher folder. */
    public static Path weightsFile(Path folder) {
        JsonNode m = verifiedManifest(folder);
        return ModelFolder.listedFile(folder, m, weightsName(m), KIND);
    }

    private static void readWeights(Path folder, JsonNode m, UNet net, NDManager manager) {
        Path weights = ModelFolder.listedFile(folder, m, weightsName(m), KIND);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(weights))) {
            net.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("could not read teacher weights " + weights + ": " + e.getMessage(), e);
        }
    }

    /**
     * A teacher around an in-memory network (for example one being trained, or built for a test).
     *
     * @param id the teacher's id
     * @param net the network (its parameters are frozen)
     * @param schedule the noise schedule it was trained with
     * @param manager the manager this teacher closes
     * @return the teacher
     */
    public static UNetTeacher of(String id, UNet net, DiscreteNoiseSchedule schedule, NDManager manager) {
        return new UNetTeacher(id, "", net, schedule, manager, manifest(id, net.config(), schedule, "", Json.object(),
                null));
    }

    /** Builds the manifest of a teacher folder. */
    static ObjectNode manifest(String id, UNetConfig config, DiscreteNoiseSchedule schedule, String weightsName,
            JsonNode training, JsonNode metrics) {
        ObjectNode m = Json.object();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        m.put("id", id);
        m.set("architecture", Json.tree(config));
        ObjectNode s = m.putObject("schedule");
        s.put("name", schedule.name());
        s.put("timesteps", schedule.numTimesteps());
        m.put("prediction", "epsilon");
        ObjectNode sp = m.putObject("space");
        sp.put("kind", "pixel");
        sp.put("channels", config.channels());
        sp.put("height", config.resolution());
        sp.put("width", config.resolution());
        m.set("training", training);
        m.set("metrics", metrics == null ? Json.object() : metrics);
        m.put("weights", weightsName);
        return m;
    }

    /** The manifest this teacher was loaded from. */
    public JsonNode manifest() {
        return manifest;
    }

    /** The network (frozen). */
    public UNet network() {
        return net;
    }




    /** The schedule with its DDIM helpers. */
    public DiscreteNoiseSchedule discreteSchedule() {
        return schedule;
    }



    /** Words of the prompt the text encoder does not know (they are encoded as "unknown"). */
    public List<String> unknownWords(String prompt) {
        return net.textEncoder().unknownWords(prompt);
    }

    @Override
    public NDArray embed(List<String> prompts, NDManager m) {
        return net.textEncoder().bagOfWords(prompts, m);
    }

    @Override
    public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
        NDManager m = xt.getManager();
        float[] tf = new float[timesteps.length];
        for (int i = 0; i < tf.length; i++) {
            tf[i] = timesteps[i];
        }
        return net.apply(new ParameterStore(m, false), xt, m.create(tf), embeddings, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
