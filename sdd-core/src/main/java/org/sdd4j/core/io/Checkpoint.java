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
    private static final int VERSION = 3;
    /** Checkpoints of this version (written before companions) are still read. */
    private static final int NO_COMPANION_VERSION = 2;

    private Checkpoint() {}

    /** What a checkpoint restores besides the weights. */
    public record State(int step, Map<String, List<Double>> history) {}

    /**
     * A second model trained alongside the main one (for example a critic), with its optimiser.
     *
     * @param name what it is, in error messages
     * @param block the model
     * @param optimizer its optimiser
     */
    public record Companion(String name, Block block, AdamW optimizer) {}

    /** Writes a checkpoint without a companion atomically. */
    public static void save(Path file, String fingerprint, int step, Block model, AdamW optimizer, Ema ema,
            Map<String, List<Double>> history) {
        save(file, fingerprint, step, model, optimizer, ema, history, null);
    }

    /** Writes a checkpoint atomically, with the companion's weights and optimiser when there is one. */
    public static void save(Path file, String fingerprint, int step, Block model, AdamW optimizer, Ema ema,
            Map<String, List<Double>> history, Companion companion) {
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
            out.writeBoolean(companion != null);
            if (companion != null) {
                companion.block().saveParameters(out);
                companion.optimizer().save(out);
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
        return load(file, fingerprint, model, manager, optimizer, ema, null);
    }

    /**
     * Restores a checkpoint and its companion (null when the run has none).
     *
     * @return the step and history
     * @throws IllegalArgumentException if the file is damaged or belongs to another configuration
     */
    public static State load(Path file, String fingerprint, Block model, NDManager manager, AdamW optimizer, Ema ema,
            Companion companion) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            int version = MAGIC.equals(in.readUTF()) ? in.readInt() : -1;
            if (version != VERSION && version != NO_COMPANION_VERSION) {
                throw new IllegalArgumentException(file + " is not a checkpoint of this library version");
            }
            String fp = in.readUTF();
            if (!fp.equals(fingerprint)) {
                throw new IllegalArgumentException("checkpoint " + file + " belongs to a run with other settings ("
                        + fp + "), not (" + fingerprint + "); delete it, or choose another work folder with --work");
            }
            int step = in.readInt();
            loadTrainable(model, manager, in);
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
            boolean hasCompanion = version == VERSION && in.readBoolean();
            if (hasCompanion != (companion != null)) {
                // the fingerprint covers the options that add one, so this is a damaged or foreign file
                throw new IllegalArgumentException("checkpoint " + file + (hasCompanion
                        ? " holds a second trained model that this run does not use"
                        : " holds no " + companion.name() + ", which this run trains") + "; delete it to start over");
            }
            if (hasCompanion) {
                loadTrainable(companion.block(), manager, in);
                companion.optimizer().load(in);
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

    private static void loadTrainable(Block block, NDManager manager, DataInputStream in)
            throws IOException, MalformedModelException {
        block.loadParameters(manager, in);
        // loaded arrays replace the initialised ones and do not track gradients yet
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }
}
