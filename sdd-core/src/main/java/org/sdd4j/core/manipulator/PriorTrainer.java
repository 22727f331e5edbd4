package org.sdd4j.core.manipulator;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.eval.EditMetrics;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.train.TrainingLoop;

/** Trains the {@link AutoEncoder} prior on a data source (MSE) and writes it as a model folder. */
public final class PriorTrainer {

    /** The folder format. */
    public static final String FORMAT = "sdd-autoencoder";
    static final String KIND = "autoencoder prior";

    private PriorTrainer() {}

    /**
     * Options.
     *
     * @param steps steps
     * @param batchSize images per step
     * @param learningRate AdamW learning rate
     * @param resolution image size (a multiple of 4)
     * @param seed seed
     */
    public record Options(int steps, int batchSize, float learningRate, int resolution, long seed) {
        /** Validates. */
        public Options {
            if (steps < 1 || batchSize < 1 || resolution < 8 || resolution % 4 != 0) {
                throw new IllegalArgumentException("prior: steps, batch >= 1 and a resolution that is a multiple of 4");
            }
        }
    }

    /**
     * Trains and writes the prior; returns the PSNR of its reconstructions of held-out images.
     *
     * @param train images it learns
     * @param heldOut images it never sees, for the reported reconstruction PSNR
     */
    public static double train(TrainingData train, TrainingData heldOut, Options o, Path out, NDManager parent,
            ProgressListener listener, boolean force) {
        ModelFolder.check(out, FORMAT, 1, KIND, force);
        long started = System.nanoTime();
        try (NDManager m = parent.newSubManager()) {
            AutoEncoder ae = new AutoEncoder();
            TrainingLoop.fit("prior", ae, m, o.seed(), o.learningRate(), o.steps(), "mse", listener, (step, s, ps) -> {
                SplittableRandom r = new SplittableRandom(o.seed() * 31L + step);
                List<BufferedImage> imgs = new ArrayList<>();
                for (int i = 0; i < o.batchSize(); i++) {
                    imgs.add(ImageTensors.toRgb(train.get(r.nextInt(train.size())).image()));
                }
                NDArray x = ImageTensors.batch(imgs, o.resolution(), s);
                return ae.decode(ps, ae.encode(ps, x, true), true).sub(x).square().mean();
            });
            ae.freezeParameters(true);
            double psnr = reconstructionPsnr(ae, heldOut, o.resolution(), m);
            ObjectNode man = Json.object();
            man.put("resolution", o.resolution());
            man.put("latentChannels", AutoEncoder.LATENT);
            man.put("data", train.describe());
            man.set("training", Json.tree(o));
            man.put("trainingSeconds", Math.round((System.nanoTime() - started) / 1e9));
            man.putObject("metrics").put("heldOutReconstructionPsnr", psnr).put("heldOutData", heldOut.describe());
            ModelFolder.writeModel(out, FORMAT, 1, KIND, force, "prior", ae, man);
            return psnr;
        }
    }

    /** Mean PSNR of the autoencoder's reconstructions of (at most 200 of) the images, at {@code res}. */
    public static double reconstructionPsnr(AutoEncoder ae, TrainingData heldOut, int res, NDManager m) {
        double sum = 0;
        int n = Math.min(200, heldOut.size());
        for (int i = 0; i < n; i++) {
            try (NDManager s = m.newSubManager()) {
                BufferedImage img = ImageTensors.resize(ImageTensors.toRgb(heldOut.get(i).image()), res, res);
                NDArray x = ImageTensors.batch(List.of(img), res, s);
                ParameterStore ps = new ParameterStore(s, false);
                BufferedImage rec = ImageTensors.toImages(ae.decode(ps, ae.encode(ps, x, false), false)).get(0);
                sum += EditMetrics.psnr(img, rec, new boolean[res * res]);
            }
        }
        return sum / n;
    }

    /** Loads a prior folder's weights into an initialised autoencoder (checksums verified). */
    public static void loadInto(Path folder, AutoEncoder ae, NDManager manager) {
        JsonNode m = ModelFolder.readVerified(folder, FORMAT, 1, KIND);
        Path w = ModelFolder.listedFile(folder, m, m.path("weights").asText(""), KIND);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(w))) {
            ae.loadParameters(manager, new DataInputStream(raw));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("could not read the prior's weights " + w + ": " + e.getMessage(), e);
        }
    }
}
