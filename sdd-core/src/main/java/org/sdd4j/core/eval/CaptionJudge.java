package org.sdd4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.oracle.OracleNet;
import org.sdd4j.core.oracle.OracleTrainer;
import org.sdd4j.core.train.TrainingLoop;

/**
 * A judge for any captioned folder: a small classifier (the oracle's VGG-style network) trained on the
 * user's own images to tell their most frequent captions apart, with a held-out split it never trains
 * on. It says how often a teacher's guided samples show the caption they were asked for, and gives the
 * features for a Frechet distance between samples and real images of a caption.
 */
public final class CaptionJudge implements AutoCloseable {

    /** Every fifth image (by position in the data) is held out. */
    public static final int HOLD_OUT_EVERY = org.sdd4j.core.data.HeldOutSplit.EVERY;

    private final NDManager manager;
    private final OracleNet net;
    private final List<String> classes;
    private final int resolution;
    private final double heldOutAccuracy;
    private final int trainImages;
    private final int heldOutImages;
    private final java.util.Map<String, Double> heldOutRecall;

    private CaptionJudge(NDManager manager, OracleNet net, List<String> classes, int resolution, double accuracy,
            int train, int heldOut, java.util.Map<String, Double> recall) {
        this.manager = manager;
        this.net = net;
        this.classes = classes;
        this.resolution = resolution;
        this.heldOutAccuracy = accuracy;
        this.trainImages = train;
        this.heldOutImages = heldOut;
        this.heldOutRecall = recall;
    }

    /**
     * Options.
     *
     * @param maxClasses the most frequent captions judged (at most this many)
     * @param minImages a caption needs at least this many images to be a class
     * @param steps training steps
     * @param batchSize images per step
     * @param resolution image size
     * @param seed seed
     */
    public record Options(int maxClasses, int minImages, int steps, int batchSize, int resolution, long seed) {
        /** Validates. */
        public Options {
            if (maxClasses < 2 || minImages < 2 || steps < 1 || batchSize < 1 || resolution < 8) {
                throw new IllegalArgumentException("judge: at least 2 classes of at least 2 images, steps, batch >= 1,"
                        + " resolution >= 8");
            }
        }

        /** 12 classes of at least 10 images, 800 steps of 64 at 32 px. */
        public static Options defaults() {
            return new Options(12, 10, 800, 64, 32, 11);
        }
    }

    /** Which images train the judge and which are held out (disjoint; by position in the data). */
    public record Split(List<Integer> train, List<Integer> heldOut) {}

    /** The most frequent captions with at least {@code minImages} images, most frequent first. */
    public static List<String> classes(TrainingData data, int max, int minImages) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            counts.merge(data.caption(i), 1L, Long::sum);
        }
        return counts.entrySet().stream().filter(e -> e.getValue() >= minImages)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(max).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    /** The split of the images whose caption is one of the classes. */
    public static Split split(TrainingData data, List<String> classes) {
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (classes.contains(data.caption(i))) {
                (org.sdd4j.core.data.HeldOutSplit.isHeldOut(i) ? held : train).add(i);
            }
        }
        return new Split(Collections.unmodifiableList(train), Collections.unmodifiableList(held));
    }

    /**
     * Trains a judge on the training part of the split (classes balanced by sampling) and measures its
     * accuracy on the held-out part.
     *
     * @throws IllegalArgumentException if fewer than two captions have enough images
     */
    public static CaptionJudge train(TrainingData data, Options o, NDManager parent, ProgressListener listener) {
        List<String> classes = classes(data, o.maxClasses(), o.minImages());
        if (classes.size() < 2) {
            throw new IllegalArgumentException("the judge needs at least two captions with " + o.minImages()
                    + " images or more each; " + data.describe() + " has " + classes.size());
        }
        Split split = split(data, classes);
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (String c : classes) {
            byClass.put(c, new ArrayList<>());
        }
        for (int i : split.train()) {
            byClass.get(data.caption(i)).add(i);
        }
        int k = classes.size();
        NDManager m = parent.newSubManager();
        try {
            TrainingLoop.seed(m, o.seed());
            OracleNet net = new OracleNet(k);
            net.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            Map<Integer, BufferedImage> cache = new java.util.HashMap<>();
            try (AdamW opt = new AdamW(net, m, 2e-3f, 1e-4f)) {
                new TrainingLoop("caption judge", o.steps(), 0, null, "", List.of("loss"), "lower the learning rate")
                        .model(net, m, opt, null).listener(listener)
                        .run(step -> {
                            SplittableRandom r = new SplittableRandom(o.seed() * 7_919L + step);
                            List<BufferedImage> imgs = new ArrayList<>();
                            float[] target = new float[o.batchSize() * k];
                            for (int b = 0; b < o.batchSize(); b++) {
                                int c = r.nextInt(k);
                                List<Integer> pool = byClass.get(classes.get(c));
                                if (pool.isEmpty()) {
                                    pool = split.train();
                                }
                                int idx = pool.get(r.nextInt(pool.size()));
                                imgs.add(cache.computeIfAbsent(idx, i -> ImageTensors.resize(
                                        ImageTensors.toRgb(data.get(i).image()), o.resolution(), o.resolution())));
                                target[b * k + classes.indexOf(data.get(idx).caption())] = 1f;
                            }
                            try (NDManager sm = m.newSubManager()) {
                                NDArray x = OracleTrainer.augment(ImageTensors.batch(imgs, o.resolution(), sm), r, sm);
                                NDArray y = sm.create(target, new Shape(o.batchSize(), k));
                                return new double[] {TrainingLoop.minimise(sm, opt, () -> net.logits(ps,
                                        net.features(ps, x, true), true).logSoftmax(1).mul(y).sum(new int[] {1}).neg()
                                        .mean())};
                            }
                        });
            }
            net.freezeParameters(true);
            CaptionJudge judge = new CaptionJudge(m, net, List.copyOf(classes), o.resolution(), Double.NaN,
                    split.train().size(), split.heldOut().size(), java.util.Map.of());
            List<BufferedImage> held = new ArrayList<>();
            List<String> truth = new ArrayList<>();
            for (int i : split.heldOut()) {
                held.add(ImageTensors.toRgb(data.get(i).image()));
                truth.add(data.get(i).caption());
            }
            int correct = 0;
            List<Integer> predicted = judge.predict(held);
            java.util.Map<String, int[]> perClass = new java.util.LinkedHashMap<>();
            for (int i = 0; i < held.size(); i++) {
                boolean ok = classes.get(predicted.get(i)).equals(truth.get(i));
                correct += ok ? 1 : 0;
                int[] c = perClass.computeIfAbsent(truth.get(i), name -> new int[2]);
                c[0] += ok ? 1 : 0;
                c[1]++;
            }
            double accuracy = held.isEmpty() ? Double.NaN : correct / (double) held.size();
            java.util.Map<String, Double> recall = new java.util.LinkedHashMap<>();
            perClass.forEach((name, c) -> recall.put(name, c[0] / (double) c[1]));
            return new CaptionJudge(m, net, List.copyOf(classes), o.resolution(), accuracy, split.train().size(),
                    split.heldOut().size(), java.util.Collections.unmodifiableMap(recall));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The captions it tells apart, most frequent first. */
    public List<String> classes() {
        return classes;
    }

    /** Accuracy on the held-out images. */
    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    /**
     * The share of a caption's held-out real images the judge assigns to that caption (its recall): the
     * agreement a perfect teacher could reach under this judge; NaN when no held-out image has it.
     */
    public double heldOutRecall(String caption) {
        return heldOutRecall.getOrDefault(caption, Double.NaN);
    }

    /** Images it trained on. */
    public int trainImages() {
        return trainImages;
    }

    /** Images held out. */
    public int heldOutImages() {
        return heldOutImages;
    }

    /** The index (into {@link #classes()}) of the most likely caption of each image. */
    public List<Integer> predict(List<BufferedImage> images) {
        List<Integer> out = new ArrayList<>();
        forEachBatch(images, (logits, features) -> {
            int k = classes.size();
            for (int i = 0; i < logits.length / k; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (logits[i * k + c] > logits[i * k + best]) {
                        best = c;
                    }
                }
                out.add(best);
            }
        });
        return out;
    }

    /** The penultimate features of each image (for a Frechet distance). */
    public List<float[]> features(List<BufferedImage> images) {
        List<float[]> out = new ArrayList<>();
        forEachBatch(images, (logits, features) -> {
            int f = OracleNet.FEATURES;
            for (int i = 0; i < features.length / f; i++) {
                float[] v = new float[f];
                System.arraycopy(features, i * f, v, 0, f);
                out.add(v);
            }
        });
        return out;
    }

    private interface BatchConsumer {
        void accept(float[] logits, float[] features);
    }

    private void forEachBatch(List<BufferedImage> images, BatchConsumer c) {
        for (int from = 0; from < images.size(); from += 128) {
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = ImageTensors.batch(images.subList(from, Math.min(images.size(), from + 128)), resolution, sm);
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray f = net.features(ps, x, false);
                c.accept(net.logits(ps, f, false).toFloatArray(), f.toFloatArray());
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
