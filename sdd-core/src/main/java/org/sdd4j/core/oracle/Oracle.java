package org.sdd4j.core.oracle;

import ai.djl.MalformedModelException;
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
import java.util.List;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.ModelFolder;

/**
 * The trained judge of FaceWorld attributes, loaded from an oracle folder ({@code manifest.json} +
 * {@code oracle.params}). Thread-safe.
 */
public final class Oracle implements AutoCloseable {

    /** The folder format name. */
    public static final String FORMAT = "sdd-oracle";
    /** The weight file's name. */
    public static final String WEIGHTS = "oracle.params";
    /** What an oracle folder is called in messages. */
    public static final String KIND = "oracle folder";

    private final NDManager manager;
    private final OracleNet net;
    private final int resolution;
    private final JsonNode manifest;

    Oracle(NDManager manager, OracleNet net, int resolution, JsonNode manifest) {
        this.manager = manager;
        this.net = net;
        this.resolution = resolution;
        this.manifest = manifest;
        net.freezeParameters(true);
    }

    /** Total classes over all heads. */
    static int totalClasses() {
        int n = 0;
        for (int c : FaceAttributes.CLASSES) {
            n += c;
        }
        return n;
    }

    /** Loads an oracle folder, checking its format and checksum. */
    public static Oracle load(Path folder, NDManager parent) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, 1, KIND);
        Path w = ModelFolder.listedFile(folder, m, m.path("weights").asText(WEIGHTS), KIND);
        NDManager manager = parent.newSubManager();
        OracleNet net = new OracleNet(totalClasses());
        net.initialize(manager);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(w))) {
            net.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            manager.close();
            throw new IllegalArgumentException("could not read " + w + ": " + e.getMessage(), e);
        }
        return new Oracle(manager, net, m.path("resolution").asInt(), m);
    }

    /** The manifest (training configuration and held-out accuracy). */
    public JsonNode manifest() {
        return manifest;
    }

    /** Per-image judgement: class probabilities per head and the penultimate features. */
    public record Judgement(double[][] probabilities, float[] features) {
        /** The most likely class of a head. */
        public int predicted(int head) {
            double[] p = probabilities[head];
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    /** Judges images (resized to the oracle's resolution). */
    public List<Judgement> judge(List<BufferedImage> images) {
        List<Judgement> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += 128) {
            List<BufferedImage> chunk = images.subList(from, Math.min(images.size(), from + 128));
            try (NDManager m = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(m, false);
                NDArray f = net.features(ps, ImageTensors.batch(chunk, resolution, m), false);
                float[] logits = net.logits(ps, f, false).toFloatArray();
                float[] feats = f.toFloatArray();
                int total = totalClasses();
                for (int i = 0; i < chunk.size(); i++) {
                    double[][] probs = new double[FaceAttributes.CLASSES.length][];
                    int off = i * total;
                    for (int h = 0; h < probs.length; h++) {
                        int n = FaceAttributes.CLASSES[h];
                        probs[h] = softmax(logits, off, n);
                        off += n;
                    }
                    float[] fi = new float[OracleNet.FEATURES];
                    System.arraycopy(feats, i * OracleNet.FEATURES, fi, 0, OracleNet.FEATURES);
                    out.add(new Judgement(probs, fi));
                }
            }
        }
        return out;
    }

    private static double[] softmax(float[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[off + i]);
        }
        double[] p = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(v[off + i] - max);
            z += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= z;
        }
        return p;
    }

    @Override
    public void close() {
        manager.close();
    }
}
