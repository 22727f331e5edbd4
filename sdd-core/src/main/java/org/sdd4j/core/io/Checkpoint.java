package org.sdd4j.core.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ema;

/**
 * A resumable training checkpoint: step, model weights, optimiser moments, optional weight average
 * and the loss history, in one file written atomically. A fingerprint of the run's configuration is
 * stored too, so that a run is never resumed with different settings.
 */
public final class Checkpoint {

    private static final String MAGIC = "SDD-CHECKPOINT";
    private static final int VERSION = 2;

    private Checkpoint() {}

    /** What a checkpoint restores besides the weights. */
    public record State(int step, Map<String, List<Double>> history) {}

    /** Writes a checkpoint atomically. */
    public static void save(Path file, String fingerprint, int step, Block model, AdamW optimizer, Ema ema,
            Map<String, List<Double>> history) {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(fingerprint);
            out.writeInt(step);
            model.saveParameters(out);
            optimizer.save(out);
            out.writeBoolean(ema != null);
            if (ema != null) {
                ema.save(out);
            }
            out.writeInt(history.size());
            for (Map.Entry<String, List<Double>> e : history.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (double d : e.getValue()) {
                    out.writeDouble(d);
                }
            }
            out.flush();
        });
    }

    /**
     * Restores a checkpoint into an initialised model, optimiser and weight average.
     *
     * @return the step and history
     * @throws IllegalArgumentException if the file is damaged or belongs to another configuration
     */
    public static State load(Path file, String fingerprint, Block model, NDManager manager, AdamW optimizer, Ema ema) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new IllegalArgumentException(file + " is not a checkpoint of this library version");
            }
            String fp = in.readUTF();
            if (!fp.equals(fingerprint)) {
                throw new IllegalArgumentException("checkpoint " + file + " belongs to a run with other settings ("
                        + fp + "), not (" + fingerprint + "); delete it, or choose another work folder with --work");
            }
            int step = in.readInt();
            model.loadParameters(manager, in);
            // loaded arrays replace the initialised ones and do not track gradients yet
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            optimizer.load(in);
            if (in.readBoolean()) {
                if (ema == null) {
                    throw new IllegalArgumentException("checkpoint " + file + " has a weight average but none is used");
                }
                ema.load(in);
            }
            int n = in.readInt();
            Map<String, List<Double>> history = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = in.readUTF();
                int len = in.readInt();
                List<Double> vs = new ArrayList<>(len);
                for (int j = 0; j < len; j++) {
                    vs.add(in.readDouble());
                }
                history.put(k, vs);
            }
            return new State(step, history);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("checkpoint " + file + " is damaged (" + e.getMessage()
                    + "); delete it to start over", e);
        }
    }
}
