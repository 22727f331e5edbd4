package org.sdd4j.core.teacher;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sdd4j.core.schedule.Noise;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.EmphasisRegions;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ema;
import org.sdd4j.core.nn.UNet;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.report.Plots;
import org.sdd4j.core.schedule.DiscreteNoiseSchedule;
import org.sdd4j.core.schedule.NoiseMath;
import org.sdd4j.core.train.TrainingLoop;
import org.sdd4j.core.nn.Ops;

/**
 * Trains the pixel-space teacher: epsilon prediction with the simple DDPM loss
 * ||eps - eps_theta(x_t, t, c)||^2 (Ho et al. 2020, eq. 14), captions dropped to the empty prompt
 * with probability p so that one network serves both branches of classifier-free guidance.
 * Deterministic for a seed; resumes from the checkpoint in its work folder.
 */
public final class TeacherTrainer {

    private final TeacherOptions options;
    private final TrainingData data;
    private final int resolution;
    private final List<String> vocabulary;
    private final Path workDir;
    private final ProgressListener listener;
    private final List<String> samplePrompts;
    private final org.sdd4j.core.data.CaptionSampler sampler;
    private Path init;
    private boolean force;

    /**
     * @param options training options
     * @param data captioned images
     * @param resolution the teacher's resolution (images are resized to it)
     * @param vocabulary the text encoder's words
     * @param workDir checkpoints, loss curve and sample grids
     * @param samplePrompts prompts of the periodic sample grids
     * @param listener progress receiver
     */
    public TeacherTrainer(TeacherOptions options, TrainingData data, int resolution, List<String> vocabulary,
            Path workDir, List<String> samplePrompts, ProgressListener listener) {
        this.options = options;
        this.data = data;
        this.sampler = org.sdd4j.core.data.CaptionSampler.of(data, options.captionBalance());
        this.resolution = resolution;
        this.vocabulary = List.copyOf(vocabulary);
        this.workDir = workDir;
        this.samplePrompts = List.copyOf(samplePrompts);
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /**
     * Starts a new run from a trained teacher's weights instead of a random initialisation (fine-tuning,
     * for example with another region weight). The architecture must match. Ignored when a checkpoint
     * is resumed.
     *
     * @param teacherFolder the teacher to start from, or null for a random start
     * @return this trainer
     */
    public TeacherTrainer startingFrom(Path teacherFolder) {
        this.init = teacherFolder;
        return this;
    }

    /**
     * Allows writing the teacher into a non-empty folder that is not a teacher folder (its content is
     * kept; nothing there is replaced).
     *
     * @param forceFolder whether to allow it
     * @return this trainer
     */
    public TeacherTrainer force(boolean forceFolder) {
        this.force = forceFolder;
        return this;
    }

    /** The network configuration these options produce. */
    public UNetConfig config() {
        return new UNetConfig(resolution, 3, options.width(), options.multipliers(), Math.min(8, options.width()),
                options.embDim(), vocabulary);
    }

    /** What must not change between a run and its resumption (the step count may grow). */
    private String fingerprint() {
        TeacherOptions o = options.withSteps(1).withPeriods(1, 1);
        return Json.tree(o).toString() + "|" + Json.tree(config()).toString() + "|" + data.describe()
                + (init == null ? "" : "|init=" + init.toAbsolutePath().normalize());
    }

    /**
     * Trains (or resumes) and writes the teacher folder.
     *
     * @param out the teacher folder to write
     * @param manager the engine manager to train under
     * @return the folder
     */
    public Path train(Path out, NDManager manager) {
        ModelFolder.check(out, UNetTeacher.FORMAT, UNetTeacher.FORMAT_VERSION, "teacher folder", force);
        DiscreteNoiseSchedule schedule = DiscreteNoiseSchedule.byName(options.schedule(), options.timesteps());
        UNetConfig config = config();
        long started = System.nanoTime();
        try (NDManager base = manager.newSubManager()) {
            TrainingLoop.seed(base, options.seed());
            UNet net = new UNet(config);
            net.initialize(base);
            TrainingLoop loop = new TrainingLoop("teacher training", options.steps(), options.checkpointEvery(),
                    workDir, fingerprint(), List.of("loss"), "lower the learning rate, now " + options.learningRate());
            if (init != null && !Files.exists(loop.checkpoint())) {
                UNetTeacher.loadInto(init, net, base);
                net.freezeParameters(false); // loaded arrays are new: they must record gradients again
                listener.onMessage("starting from the teacher in " + init);
            }
            if (options.regionWeight() > 0 && !(data instanceof EmphasisRegions)) {
                listener.onMessage("region weight " + options.regionWeight() + " ignored: " + data.describe()
                        + " marks no regions (plain MSE)");
            }
            try (AdamW opt = new AdamW(net, base, options.learningRate(), 0f);
                    Ema ema = new Ema(net, base, options.emaDecay())) {
                ParameterStore ps = new ParameterStore(base, false);
                TrainingLoop.Result result = loop.model(net, base, opt, ema).listener(listener)
                        .afterCheckpoint((step, history) -> writeCurve(history.get("loss")))
                        .afterStep((step, history) -> {
                            if (options.sampleEvery() > 0 && step % options.sampleEvery() == 0) {
                                ema.swap();
                                writeSamples(net, schedule, base, workDir.resolve("samples-" + step + ".png"));
                                ema.swap();
                            }
                        })
                        .run(step -> {
                            double loss = trainStep(net, ps, base, schedule, step, opt);
                            if (Double.isFinite(loss)) {
                                ema.update();
                            }
                            return new double[] {loss};
                        });
                ema.swap();
                double seconds = (System.nanoTime() - started) / 1e9;
                Path finalGrid = null;
                if (!samplePrompts.isEmpty()) {
                    finalGrid = workDir.resolve("samples-final.png");
                    writeSamples(net, schedule, base, finalGrid);
                }
                writeTeacher(out, net, schedule, result.history().get("loss"), seconds, result.resumedAt(),
                        base.getEngine(), finalGrid);
                return out;
            }
        }
    }

    private double trainStep(UNet net, ParameterStore ps, NDManager base, DiscreteNoiseSchedule schedule, int step,
            AdamW opt) {
        SplittableRandom r = new SplittableRandom(options.seed() * 1_000_003L + step);
        int b = options.batchSize();
        List<BufferedImage> imgs = new ArrayList<>(b);
        List<String> captions = new ArrayList<>(b);
        boolean weighted = options.regionWeight() > 0 && data instanceof EmphasisRegions;
        int pixels = resolution * resolution;
        float[] weights = weighted ? new float[b * pixels] : null;
        int[] t = new int[b];
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) {
            int index = sampler.next(r);
            CaptionedImage ci;
            if (weighted) {
                EmphasisRegions.Emphasized e = ((EmphasisRegions) data).emphasized(index);
                if (e.mask().length != pixels) {
                    throw new IllegalArgumentException("the emphasis mask of example " + index + " has "
                            + e.mask().length + " pixels but the teacher works at " + resolution + "x" + resolution
                            + "; render the data at the teacher's resolution or set the region weight to 0");
                }
                for (int p = 0; p < pixels; p++) {
                    weights[i * pixels + p] = e.mask()[p] ? 1f + (float) options.regionWeight() : 1f;
                }
                ci = e.example();
            } else {
                ci = data.get(index);
            }
            imgs.add(ImageTensors.toRgb(ci.image()));
            captions.add(r.nextDouble() < options.captionDropout() ? "" : ci.caption());
            t[i] = r.nextInt(schedule.numTimesteps());
            tf[i] = t[i];
        }
        try (NDManager sm = base.newSubManager()) {
            NDArray x0 = ImageTensors.batch(imgs, resolution, sm);
            NDArray eps = Noise.gaussian(sm, x0.getShape(), r);
            NDArray xt = NoiseMath.addNoise(schedule, x0, eps, t);
            NDArray text = net.textEncoder().bagOfWords(captions, sm);
            float value;
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray pred = net.apply(ps, xt, sm.create(tf), text, true);
                NDArray sq = pred.sub(eps).square();
                NDArray loss = weighted
                        ? weightedMean(sq, sm.create(weights, new Shape(b, 1, resolution, resolution)))
                        : sq.mean();
                gc.backward(loss);
                value = loss.getFloat();
            }
            opt.learningRate(options.learningRateAt(step));
            opt.updateIfFinite(value);
            return value;
        }
    }

    /**
     * The mean of {@code values} (N, C, H, W) under per-pixel weights (N, 1, H, W) normalised to mean 1:
     * sum(w * v) / (C * sum(w)). Equal weights give the plain mean.
     */
    static NDArray weightedMean(NDArray values, NDArray weights) {
        return values.mul(weights).sum().div(Ops.mul(weights.sum(), values.getShape().get(1)));
    }

    private void writeCurve(List<Double> losses) {
        double[] xs = new double[losses.size()];
        double[] ys = new double[losses.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
            ys[i] = losses.get(i);
        }
        Plots.lines(workDir.resolve("loss.png"), "Teacher training loss", "step", "MSE(eps)",
                Map.of("loss (moving average of 50)", new double[][] {xs, Plots.smooth(ys, 50)}), true);
    }

    private void writeSamples(UNet net, DiscreteNoiseSchedule schedule, NDManager base, Path png) {
        if (samplePrompts.isEmpty()) {
            return;
        }
        UNetTeacher view = new UNetTeacher("training", "", net, schedule, base, Json.object());
        List<BufferedImage> all = new ArrayList<>();
        try (NDManager sm = base.newSubManager()) {
            for (int p = 0; p < samplePrompts.size(); p++) {
                try (Conditioning c = view.encode(samplePrompts.get(p), sm)) {
                    NDArray x = DdimSampler.sample(view, c, 8, 25, 3f, 1000 + p, sm);
                    all.addAll(ImageTensors.toImages(x));
                }
            }
        }
        net.freezeParameters(false);
        Grids.write(png, all, 8, 3);
    }

    private void writeTeacher(Path out, UNet net, DiscreteNoiseSchedule schedule, List<Double> losses, double seconds,
            int resumedAt, Engine engine, Path finalGrid) {
        try (ModelFolder folder = ModelFolder.open(out, UNetTeacher.FORMAT, UNetTeacher.FORMAT_VERSION,
                "teacher folder", force)) {
            String weights = folder.addParameters("teacher", net);
            ObjectNode training = Json.object();
            training.set("options", Json.tree(options));
            training.put("data", data.describe());
            if (init != null) {
                // the run this one continued from, so that the whole recipe stays in the manifest
                JsonNode from = Json.read(init.resolve("manifest.json"));
                ObjectNode started = Json.object();
                started.put("id", from.path("id").asText());
                started.put("sha256", UNetTeacher.weightsSha256(from));
                started.set("training", from.path("training"));
                training.set("startedFrom", started);
            }
            training.put("steps", options.steps());
            training.put("secondsThisRun", Math.round(seconds));
            training.put("resumedAtStep", resumedAt);
            int n = losses.size();
            double tail = losses.subList(Math.max(0, n - 200), n).stream().mapToDouble(d -> d).average().orElse(
                    Double.NaN);
            training.put("finalLossMeanOfLast200", tail);
            training.put("djlVersion", Engine.getDjlVersion());
            training.put("engine", engine.getEngineName() + " " + engine.getVersion());
            training.put("parameters", net.parameterCount());
            String id = "unet-" + resolution + "-" + options.width() + "-seed" + options.seed()
                    + (init == null ? "" : "-finetuned");
            ObjectNode manifest = UNetTeacher.manifest(id, net.config(), schedule, weights, training, null);
            if (finalGrid != null) {
                // the final samples beside the weights: what the teacher draws for its sample prompts
                manifest.put("samples", folder.addFile("samples", "png", o -> java.nio.file.Files.copy(finalGrid, o)));
                manifest.set("samplePrompts", Json.tree(samplePrompts));
            }
            folder.commit(manifest);
        }
    }
}
