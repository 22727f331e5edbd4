package org.sdd4j.core.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.LearningRate;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.train.TrainingLoop;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ops;

/**
 * Trains the oracle on FaceWorld renders with light augmentation (Gaussian pixel noise, brightness
 * and contrast jitter), with cross-entropy per head, and measures held-out accuracy on faces of
 * another world seed that it never sees during training.
 */
public final class OracleTrainer {

    /**
     * Options.
     *
     * @param steps optimisation steps
     * @param batchSize images per step
     * @param learningRate AdamW learning rate
     * @param resolution image size
     * @param seed seed of data order, augmentation and initialisation
     * @param trainWorldSeed FaceWorld seed of the training faces
     * @param heldOutWorldSeed FaceWorld seed of the held-out faces
     * @param heldOut number of held-out faces
     */
    public record Options(int steps, int batchSize, float learningRate, int resolution, long seed, long trainWorldSeed,
            long heldOutWorldSeed, int heldOut) {
        /** Validates. */
        public Options {
            LearningRate.check(learningRate, "oracle");
            if (steps < 1 || batchSize < 1 || resolution < 8 || heldOut < 1) {
                throw new IllegalArgumentException("oracle steps, batch size and held-out count must be >= 1 and the"
                        + " resolution >= 8");
            }
        }

        /** The defaults used for the shipped oracle. */
        public static Options defaults() {
            return new Options(1500, 64, 2e-3f, 32, 5, 2, 777, 2000);
        }
    }

    private final Options o;
    private final ProgressListener listener;
    private boolean force;

    /** A trainer. */
    public OracleTrainer(Options o, ProgressListener listener) {
        this.o = o;
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /** Allows writing into a non-empty folder that is not an oracle folder (nothing there is replaced). */
    public OracleTrainer force(boolean forceFolder) {
        this.force = forceFolder;
        return this;
    }

    /** Trains, evaluates on held-out faces and writes the oracle folder; returns per-head accuracy. */
    public Map<String, Double> train(Path out, NDManager parent) {
        FaceWorld world = new FaceWorld(o.trainWorldSeed(), 10_000_000, o.resolution());
        int total = Oracle.totalClasses();
        long started = System.nanoTime();
        ModelFolder.check(out, Oracle.FORMAT, 1, Oracle.KIND, force);
        try (NDManager base = parent.newSubManager()) {
            TrainingLoop.seed(base, o.seed());
            OracleNet net = new OracleNet(total);
            net.initialize(base);
            ParameterStore ps = new ParameterStore(base, false);
            try (AdamW opt = new AdamW(net, base, o.learningRate(), 1e-4f)) {
                new TrainingLoop("oracle training", o.steps(), 0, null, "", List.of("loss"),
                        "lower the learning rate, now " + o.learningRate())
                        .model(net, base, opt, null).listener(listener)
                        .run(step -> new double[] {trainStep(world, net, ps, base, opt, step, total)});
            }
            net.freezeParameters(true);
            Map<String, Double> accuracy = evaluate(new Oracle(base, net, o.resolution(), null));
            double seconds = (System.nanoTime() - started) / 1e9;
            try (ModelFolder folder = ModelFolder.open(out, Oracle.FORMAT, 1, Oracle.KIND, force)) {
                String weights = folder.addParameters("oracle", net);
                ObjectNode m = Json.object();
                m.put("format", Oracle.FORMAT);
                m.put("formatVersion", 1);
                m.put("resolution", o.resolution());
                m.put("architecture", "vgg-style CNN 32-64-64-128, max pooling, global average pooling, 128 features");
                m.set("heads", Json.tree(FaceAttributes.HEADS));
                m.set("training", Json.tree(o));
                m.put("trainingSeconds", Math.round(seconds));
                m.put("parameters", net.parameterCount());
                ObjectNode metrics = m.putObject("metrics");
                metrics.put("heldOutFaces", o.heldOut());
                metrics.put("heldOutWorldSeed", o.heldOutWorldSeed());
                metrics.set("heldOutAccuracy", Json.tree(accuracy));
                m.put("weights", weights);
                folder.commit(m);
            }
            return accuracy;
        }
    }

    private double trainStep(FaceWorld world, OracleNet net, ParameterStore ps, NDManager base, AdamW opt, int step,
            int total) {
        SplittableRandom r = new SplittableRandom(o.seed() * 7_919L + step);
        List<BufferedImage> imgs = new ArrayList<>();
        float[] target = new float[o.batchSize() * total];
        for (int i = 0; i < o.batchSize(); i++) {
            Face f = world.face(r.nextInt(10_000_000));
            imgs.add(f.image());
            int off = i * total;
            int[] labels = f.attributes().labels();
            for (int h = 0; h < labels.length; h++) {
                target[off + labels[h]] = 1f;
                off += FaceAttributes.CLASSES[h];
            }
        }
        try (NDManager sm = base.newSubManager()) {
            NDArray x = augment(ImageTensors.batch(imgs, o.resolution(), sm), r, sm);
            NDArray y = sm.create(target, new Shape(o.batchSize(), total));
            return TrainingLoop.minimise(sm, opt, () -> crossEntropy(net.logits(ps, net.features(ps, x, true), true), y));
        }
    }

    /** Accuracy per head on clean held-out renders. */
    public Map<String, Double> evaluate(Oracle oracle) {
        FaceWorld held = new FaceWorld(o.heldOutWorldSeed(), o.heldOut(), o.resolution());
        List<Face> faces = held.faces(0, o.heldOut());
        List<Oracle.Judgement> js = oracle.judge(faces.stream().map(Face::image).toList());
        Map<String, Double> acc = new java.util.LinkedHashMap<>();
        for (int h = 0; h < FaceAttributes.HEADS.size(); h++) {
            int correct = 0;
            for (int i = 0; i < faces.size(); i++) {
                correct += js.get(i).predicted(h) == faces.get(i).attributes().labels()[h] ? 1 : 0;
            }
            acc.put(FaceAttributes.HEADS.get(h), correct / (double) faces.size());
        }
        return acc;
    }

    /** Light augmentation: brightness and contrast jitter and Gaussian pixel noise (also the caption judge's). */
    public static NDArray augment(NDArray x, SplittableRandom r, NDManager m) {
        long b = x.getShape().get(0);
        float[] scale = new float[(int) b];
        float[] shift = new float[(int) b];
        for (int i = 0; i < b; i++) {
            scale[i] = (float) (1 + 0.1 * (r.nextDouble() - 0.5));
            shift[i] = (float) (0.1 * (r.nextDouble() - 0.5));
        }
        NDArray noise = Ops.mul(Noise.gaussian(m, x.getShape(), r), 0.03f);
        return x.mul(m.create(scale, new Shape(b, 1, 1, 1))).add(m.create(shift, new Shape(b, 1, 1, 1))).add(noise);
    }

    /** Sum over heads of the softmax cross-entropy, averaged over the batch. */
    private static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        NDArray loss = null;
        int off = 0;
        for (int n : FaceAttributes.CLASSES) {
            NDArray lg = logits.get(":, " + off + ":" + (off + n));
            NDArray y = oneHot.get(":, " + off + ":" + (off + n));
            NDArray ce = lg.logSoftmax(1).mul(y).sum(new int[] {1}).neg();
            loss = loss == null ? ce : loss.add(ce);
            off += n;
        }
        return loss.mean();
    }
}
