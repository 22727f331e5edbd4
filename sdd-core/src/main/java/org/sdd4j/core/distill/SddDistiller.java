package org.sdd4j.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.TimestepScore;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.data.TargetColours;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.guidance.GuidanceSetup;
import org.sdd4j.core.guidance.ScoreDistillation;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.FeatureNetwork;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ema;
import org.sdd4j.core.nn.Ops;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.report.Plots;
import org.sdd4j.core.train.TrainingLoop;

/**
 * SDD's training loop (paper, Algorithm 1): for a batch of images y, y' = f_phi(y); t is drawn
 * uniformly from the selected timesteps; the loss is the SDS surrogate sum(g * y') (its gradient is g)
 * plus a pixel term ||y' - y||^2 and an identity term ||F(y') - F(y)||^2 under a frozen feature network
 * F, each summed per image and averaged over the batch. The identity term differentiates F(y') so that
 * its gradient reaches the manipulator (the paper's released code computes it between two no-grad
 * copies, where it has no effect).
 */
public final class SddDistiller implements Distiller {

    private final java.util.function.Supplier<NDManager> scopes;

    /** A distiller training under a manager of a training-capable engine (each run in a sub-manager). */
    public SddDistiller(NDManager parent) {
        this(parent::newSubManager);
    }

    /**
     * A distiller that opens a manager per run and closes it afterwards.
     *
     * @param scopes gives a new manager (a root or a sub-manager) the run then owns
     */
    public SddDistiller(java.util.function.Supplier<NDManager> scopes) {
        this.scopes = scopes;
    }

    /** What must not change between a run and its resumption (the step count may grow). */
    private static String fingerprint(DistillRequest r) {
        return r.edit() + "|" + r.prompt() + "|" + r.negativePrompt() + "|" + r.teacher().checksum() + "|" + r.data().describe() + "|"
                + r.selection().selected() + "|"
                + withoutLaterDefaults(Json.tree(r.options().toBuilder().steps(1).checkpointEvery(1).previewEvery(1)
                        .refinement(org.sdd4j.api.Refinement.OFF).maskFloor(0f).build()));
    }

    /**
     * A fingerprint's settings without the fields added after the refinement itself when they have their default, and
     * without the refinement's rounds (so checkpoints written before those fields existed still resume). The mask
     * floor acts when editing only: the guided steps' fingerprint leaves it out, the refinement's names it.
     */
    private static JsonNode withoutLaterDefaults(JsonNode options) {
        JsonNode refinement = options.has("refinement") ? options.get("refinement") : options;
        if (options instanceof ObjectNode o && o.path("maskFloor").floatValue() == 0f) {
            o.remove("maskFloor");
        }
        if (refinement instanceof ObjectNode n) {
            if (n.path("guidedWeight").floatValue() == 0f) {
                n.remove("guidedWeight");
            }
            n.remove("rounds"); // a round's own fingerprint names it (so a finished refinement can get more rounds)
        }
        return options;
    }

    /**
     * What must not change between a refinement and its resumption: the guided steps' fingerprint with their step
     * count, and the refinement's settings but its step count (the guided steps themselves do not depend on the
     * refinement, so a finished run can be refined later from its checkpoint).
     */
    private static String refinementFingerprint(DistillRequest r, int round) {
        return fingerprint(r) + "|steps " + r.options().steps() + "|refine "
                + withoutLaterDefaults(Json.tree(r.options().refinement().withSteps(1))) + "|"
                + TeacherRefinement.TARGETS + (r.options().refinement().guidedWeight() > 0
                        && r.options().criticWeight() > 0 ? "|kept guidance with the frozen critic" : "")
                + (r.options().maskFloor() != 0f ? "|mask floor " + r.options().maskFloor() : "")
                + (round > 1 ? "|round " + round : "");
    }

    /** The work folder of a refinement round: {@code refine} for the first, {@code refine-K} for round K. */
    static String refinementFolder(int round) {
        return round == 1 ? "refine" : "refine-" + round;
    }

    @Override
    public Path distill(DistillRequest r) {
        DistillOptions o = r.options();
        DiffusionTeacher teacher = r.teacher();
        // the manipulator edits images of the size the teacher sees; the teacher maps them to its space
        int teacherRes = teacher.imageSize();
        int res = o.workingResolution() > 0 ? o.workingResolution() : defaultWorkingResolution(teacherRes);
        if (res < EditorBundle.MIN_RESOLUTION || res > EditorBundle.MAX_RESOLUTION || res % 2 != 0) {
            throw new IllegalArgumentException("the manipulator works at an even size from "
                    + EditorBundle.MIN_RESOLUTION + " to " + EditorBundle.MAX_RESOLUTION + " px, got " + res
                    + (o.workingResolution() > 0 ? "" : " (teacher " + teacher.id() + "'s image size)"));
        }
        if (teacherRes % res != 0) {
            throw new IllegalArgumentException("the working resolution " + res + " must divide the teacher's image size "
                    + teacherRes + " (the edit is upsampled by a whole factor before the teacher sees it)");
        }
        List<Integer> ts = o.sds().trainingTimesteps(r.selection().selected());
        for (int t : ts) {
            if (t < 0 || t >= teacher.schedule().numTimesteps()) {
                throw new IllegalArgumentException("selected timestep " + t + " is outside the teacher's [0, "
                        + teacher.schedule().numTimesteps() + ")");
            }
        }
        if (o.putBack() == org.sdd4j.api.PutBack.LEARNED) {
            org.sdd4j.core.edit.GuidedUpsampler.check(Path.of(o.upsampler()), res);
        }
        EditorBundle.checkWritable(new EditorBundle.Target(r.outputDir(), r.replaceEdit(), r.force()), r.edit());
        long started = System.nanoTime();
        Path work = r.workDir();
        if (work != null && o.refinement().enabled()) {
            // refused before any training, not after the guided steps: the refinement's folder inside the run's
            org.sdd4j.core.train.WorkFolder.claim(work, "--work");
            for (int k = 1; k <= o.refinement().rounds(); k++) {
                org.sdd4j.core.train.WorkFolder.claim(work.resolve(refinementFolder(k)), "--work");
            }
        }
        try (NDManager base = scopes.get()) {
            TrainingLoop.seed(base, o.seed());
            Manipulator manip = ResidualManipulator.create(o.manipulator(), o.manipulatorWidth());
            manip.block().initialize(base);
            manip.maskGain(o.maskGain()); // refused here, before training, for an architecture without a mask
            manip.maskFloor(o.maskFloor());
            if (manip instanceof org.sdd4j.core.manipulator.LatentManipulator latent) {
                if (o.prior().isEmpty()) {
                    throw new IllegalArgumentException("the " + latent.architecture() + " manipulator edits in an"
                            + " autoencoder's latent space: give the prior folder (sdd train-prior, then --prior DIR)");
                }
                latent.loadPrior(Path.of(o.prior()), base);
            }
            FeatureNetwork features = new FeatureNetwork();
            features.initialize(base);
            features.freezeParameters(true);
            try (CriticGuidance critic = o.criticWeight() > 0
                            ? new CriticGuidance(o.criticWeight(), o.keepCaptions(), res, base) : null;
                    AdamW opt = new AdamW(manip.block(), base, o.learningRate(), o.weightDecay());
                    Ema ema = o.emaDecay() > 0 ? new Ema(manip.block(), base, o.emaDecay()) : null;
                    GuidanceSetup.Encoded c = GuidanceSetup.forDistillation(r).encode(teacher, base)) {
                ParameterStore ps = new ParameterStore(base, false);
                List<BufferedImage> preview = previewImages(r, res);
                // read before training: an image that cannot be read stops the run now, not after it
                List<int[]> targetColours = targetColours(r, res);
                FramingTemplate framing = framingTemplate(r, res);
                TrainingLoop loop = new TrainingLoop("distillation of '" + r.edit() + "'", o.steps(),
                        o.checkpointEvery(), work, fingerprint(r), critic == null
                                ? List.of("sds_grad_l1", "pixel", "identity")
                                : List.of("sds_grad_l1", "pixel", "identity", "critic"),
                        "try a lower learning rate than " + o.learningRate());
                if (critic != null && (loop.checkpoint() == null || !Files.exists(loop.checkpoint()))) {
                    // a resumed run restores the warmed-up critic from its checkpoint
                    if (r.listener() != null) {
                        r.listener().onMessage("warming up the critic: " + CriticGuidance.WARM_UP_STEPS + " steps");
                    }
                    critic.warmUp(r.data(), o.batchSize(), res, o.seed(), CriticGuidance.WARM_UP_STEPS, ps, base);
                }
                TrainingLoop.Result result = loop
                        .model(manip.block(), base, opt, ema)
                        .companion(critic == null ? null : critic.companion())
                        .listener(r.listener())
                        .afterCheckpoint((step, history) -> writeCurves(work, history, Map.of()))
                        .afterStep((step, history) -> {
                            if (o.previewEvery() > 0 && (step % o.previewEvery() == 0 || step == o.steps())) {
                                if (ema != null) {
                                    ema.swap(); // the preview shows what would be stored
                                }
                                try {
                                    writePreview(work.resolve("preview-" + step + ".png"), manip, base, res, preview,
                                            r.edit());
                                } finally {
                                    if (ema != null) {
                                        ema.swap();
                                    }
                                }
                            }
                        })
                        .run(step -> {
                            double[] losses = step(r, manip, features, c, ps, base, opt, step, res, critic,
                                    o.batchSize(), 1f, null);
                            if (ema != null) {
                                ema.update();
                            }
                            return losses;
                        });
                if (ema != null) {
                    ema.swap(); // the bundle stores the average (and the refinement starts from it)
                }
                Map<String, List<Double>> history = new LinkedHashMap<>(result.history());
                if (o.refinement().enabled()) {
                    history.putAll(refine(r, manip, features, c, base, res, work, result.history(), critic));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                writeBundle(r, manip, res, history, seconds, result.resumedAt(),
                        critic == null ? -1 : critic.skippedSteps(), targetColours, framing);
                return r.outputDir();
            }
        }
    }

    /**
     * The refinement phase ({@link org.sdd4j.api.Refinement}), round after round: the teacher redraws the edits of a
     * pool of training images, then the manipulator is trained toward them for the phase's steps with a fresh
     * optimiser, in the round's own resumable loop (checkpoints in {@code work/refine}, {@code work/refine-2}, ...),
     * with the guided steps' loss added at the refinement's {@code guidedWeight} when that is above 0, including the
     * run's critic, which judges but no longer learns (so a resumed phase sees the critic of the guided steps' final
     * checkpoint, as the first run did). Without the critic the kept guidance shrank FaceWorld's smile at one seed
     * (94.0 -> 90.0% success); with it the smile held at three seeds of four (docs/RESULTS.md). A resumed round redraws the same pool from the same weights (the guided steps'
     * or the previous round's final checkpoint), then continues from its own checkpoint.
     *
     * @return the phase's loss history, the rounds one after the other
     */
    private static Map<String, List<Double>> refine(DistillRequest r, Manipulator manip, FeatureNetwork features,
            GuidanceSetup.Encoded c, NDManager base, int res, Path work, Map<String, List<Double>> guided,
            CriticGuidance critic) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        int rounds = r.options().refinement().rounds();
        for (int k = 1; k <= rounds; k++) {
            Map<String, List<Double>> before = new LinkedHashMap<>(guided);
            before.putAll(all);
            Map<String, List<Double>> round = refineRound(r, manip, features, c, base, res, work, before, critic, k,
                    all.values().stream().mapToInt(List::size).max().orElse(0));
            round.forEach((name, values) -> all.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        return all;
    }

    /**
     * One round of the refinement: the pool redrawn from the manipulator as it is now, then the round's steps, in the
     * round's own resumable loop (round K checkpoints in {@link #refinementFolder(int)}); {@code done} refinement steps
     * came before it. A resumed run loads the finished rounds' final checkpoints, so every round redraws its pool from
     * the same weights as the first run did.
     */
    private static Map<String, List<Double>> refineRound(DistillRequest r, Manipulator manip, FeatureNetwork features,
            GuidanceSetup.Encoded c, NDManager base, int res, Path work, Map<String, List<Double>> before,
            CriticGuidance critic, int round, int done) {
        ParameterStore ps = new ParameterStore(base, false);
        DistillOptions o = r.options();
        org.sdd4j.api.Refinement ro = o.refinement();
        float keptGuidance = ro.guidedWeight();
        java.util.regex.Pattern keep = o.keepCaptions().isEmpty() ? null
                : java.util.regex.Pattern.compile(o.keepCaptions(), java.util.regex.Pattern.CASE_INSENSITIVE);
        if (r.listener() != null) {
            r.listener().onMessage(String.format(java.util.Locale.ROOT,
                    "refinement%s: the teacher redraws the edits of %d training images (strength %.2f, guidance %.1f)",
                    ro.rounds() > 1 ? " round " + round + " of " + ro.rounds() : "",
                    Math.min(ro.images(), r.data().size()), ro.strength(), ro.guidance()));
        }
        manip.block().freezeParameters(true);
        TeacherRefinement pool;
        try {
            // the same images every round (the run's seed), redrawn with the round's noise
            pool = TeacherRefinement.prepare(r.data(), keep, manip, r.teacher(), r.prompt(), r.negativePrompt(), ro,
                    res, o.seed(), round, ps, base);
        } finally {
            manip.block().freezeParameters(false);
        }
        int first = o.steps() + done; // the guided and earlier refinement steps before this round
        // a store of its own: a store hands out the arrays it first saw, and resuming replaces the weights' arrays
        ParameterStore fresh = new ParameterStore(base, false);
        try (pool; AdamW opt = new AdamW(manip.block(), base, o.learningRate(), o.weightDecay())) {
            TrainingLoop loop = new TrainingLoop("refinement" + (ro.rounds() > 1 ? " round " + round : "") + " of '"
                    + r.edit() + "'", ro.steps(), o.checkpointEvery(),
                    work == null ? null : work.resolve(refinementFolder(round)), refinementFingerprint(r, round),
                    REFINE_LOSSES.subList(0,
                            keptGuidance == 0 ? 1 : critic == null ? REFINE_LOSSES.size() - 1 : REFINE_LOSSES.size()),
                    "try a lower learning rate than " + o.learningRate());
            Map<String, Integer> offsets = new LinkedHashMap<>();
            REFINE_LOSSES.forEach(name -> offsets.put(name, o.steps()));
            return loop.model(manip.block(), base, opt, null).listener(afterGuidedSteps(r.listener(), first,
                    o.totalSteps()))
                    .afterCheckpoint((step, history) -> {
                        // one plot: the refinement's loss after the guided steps' curves (and the earlier rounds')
                        Map<String, List<Double>> all = new LinkedHashMap<>(before);
                        history.forEach((name, values) -> all.merge(name, values, (a, b) -> {
                            List<Double> joined = new ArrayList<>(a);
                            joined.addAll(b);
                            return joined;
                        }));
                        writeCurves(work, all, offsets);
                    })
                    .run(step -> {
                        // round 1 draws as a refinement of one round always did (so its checkpoints still resume)
                        SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + 500_009L + step
                                + (round - 1) * 7_919_000L);
                        if (keptGuidance > 0) {
                            // the guided step's loss (with the run's critic, frozen), weighted, plus the refinement's:
                            // the teacher's guidance and the critic keep an edit the redrawing would fade
                            double[] g = step(r, manip, features, c, fresh, base, opt, first + step, res, critic,
                                    o.batchSize(), keptGuidance,
                                    sm -> pool.loss(manip, fresh, o.batchSize(), rnd, sm));
                            return critic == null ? new double[] {g[3], g[0], g[1], g[2]}
                                    : new double[] {g[3], g[0], g[1], g[2], g[4]};
                        }
                        try (NDManager sm = base.newSubManager()) {
                            return new double[] {TrainingLoop.minimise(sm, opt,
                                    () -> pool.loss(manip, fresh, o.batchSize(), rnd, sm))};
                        }
                    }).history();
        }
    }

    /**
     * The refinement's losses: its own, then those of the guided loss when the phase keeps it, the last the frozen
     * critic's when the run has one.
     */
    private static final List<String> REFINE_LOSSES = List.of("refine", "refine_sds_grad_l1", "refine_pixel",
            "refine_identity", "refine_critic");

    /**
     * A listener that counts the refinement's steps after the {@code guided} ones before them, out of {@code total}
     * (null stays null).
     */
    private static org.sdd4j.api.ProgressListener afterGuidedSteps(org.sdd4j.api.ProgressListener l, int guided,
            int total) {
        if (l == null) {
            return null;
        }
        return new org.sdd4j.api.ProgressListener() {
            @Override
            public void onStep(org.sdd4j.api.TrainingProgress p) {
                l.onStep(new org.sdd4j.api.TrainingProgress(guided + p.step(), total, p.losses(),
                        p.stepsPerSecond()));
            }

            @Override
            public void onMessage(String message) {
                l.onMessage(message);
            }
        };
    }

    /**
     * One optimisation step; returns {mean |g|, pixel loss, identity loss} and with a critic its loss, or with an
     * extra loss {mean |g|, pixel, identity, the extra loss, the critic's fooling loss (NaN without a critic)}: a
     * step with an extra loss (a refinement's) does not train the critic. The guided losses are weighted by
     * {@code weight}; {@code extra} (null: none) is added.
     */
    private static double[] step(DistillRequest r, Manipulator manip, FeatureNetwork features, GuidanceSetup.Encoded c,
            ParameterStore ps, NDManager base, AdamW opt, int step, int res, CriticGuidance critic, int b,
            float weight, java.util.function.Function<NDManager, NDArray> extra) {
        DistillOptions o = r.options();
        SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + step);
        List<BufferedImage> imgs = new ArrayList<>(b);
        int[] t = new int[b];
        float[] guided = new float[b];
        java.util.regex.Pattern keep = o.keepCaptions().isEmpty() ? null
                : java.util.regex.Pattern.compile(o.keepCaptions(), java.util.regex.Pattern.CASE_INSENSITIVE);
        List<Integer> sel = o.sds().trainingTimesteps(r.selection().selected());
        for (int i = 0; i < b; i++) {
            org.sdd4j.api.CaptionedImage item = r.data().get(rnd.nextInt(r.data().size()));
            imgs.add(ImageTensors.toRgb(item.image()));
            t[i] = sel.get(rnd.nextInt(sel.size()));
            guided[i] = keep != null && item.caption() != null && keep.matcher(item.caption()).find() ? 0f : 1f;
        }
        try (NDManager sm = base.newSubManager()) {
            NDArray y = ImageTensors.batch(imgs, res, sm);
            double gl1;
            double pix;
            double id;
            NDArray fake = null;
            double extraValue = Double.NaN;
            double foolValue = Double.NaN;
            NDArray guidedW = sm.create(guided);
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                Manipulator.Output edited = manip.applyWithMask(ps, y, true);
                NDArray yp = edited.edited();
                // the gradient is formed in the teacher's space and reaches the pixels through toTeacherSpace
                int up = r.teacher().imageSize() / res;
                NDArray z = r.teacher().toTeacherSpace(upsample(yp, up));
                NDArray zSource = c.setup().objective() == org.sdd4j.api.GuidanceObjective.DDS
                        ? r.teacher().toTeacherSpace(upsample(y, up)).stopGradient() : z;
                NDArray g = ScoreDistillation.gradient(r.teacher(), c, z, zSource, t, o.sds().topKFraction(), rnd);
                if (keep != null) {
                    // images that already show the target get no guidance, only the losses that keep them
                    g = g.mul(sm.create(guided, new ai.djl.ndarray.types.Shape(b, 1, 1, 1)));
                }
                NDArray invB = Ops.constant(yp, 1f / b);
                NDArray sds = ScoreDistillation.surrogateLoss(g, z).mul(invB);
                NDArray pixel = yp.sub(y).square().sum().mul(invB);
                NDArray identity = features.apply(ps, yp, true).sub(features.apply(ps, y, false)).square().sum()
                        .mul(invB);
                NDArray total = sds.add(pixel.mul(Ops.constant(yp, o.pixelWeight())))
                        .add(identity.mul(Ops.constant(yp, o.identityWeight())));
                if (o.sparsityWeight() > 0) {
                    // sum of |y' - y| per image, like the pixel term: a pixel whose guidance gradient stays below
                    // the weight is not moved at all (a soft threshold), so the change concentrates in the region
                    total = total.add(yp.sub(y).abs().sum().mul(invB).mul(Ops.constant(yp, o.sparsityWeight())));
                }
                if (o.maskWeight() > 0 && edited.mask() != null) {
                    // the area the mask opens, per image: outside the edit's region it closes. The cost rises
                    // linearly over the first MASK_RAMP_STEPS steps (a fixed count, so that a run resumed with
                    // more steps repeats its history exactly), so the edit forms before the mask trims it
                    float ramp = Math.min(1f, step / (float) MASK_RAMP_STEPS);
                    total = total.add(edited.mask().sum().mul(invB).mul(Ops.constant(yp, o.maskWeight() * ramp)));
                }
                if (critic != null) {
                    NDArray fool = critic.foolLoss(ps, yp, guidedW);
                    foolValue = fool.getFloat();
                    total = total.add(fool);
                    fake = yp.stopGradient();
                }
                if (weight != 1f) {
                    total = total.mul(Ops.constant(yp, weight));
                }
                if (extra != null) {
                    NDArray e = extra.apply(sm);
                    extraValue = e.getFloat();
                    total = total.add(e);
                }
                gc.backward(total);
                gl1 = g.abs().mean().getFloat();
                pix = pixel.getFloat();
                id = identity.getFloat();
            }
            if (extra != null) {
                // a refinement's step: the critic (when there is one) judges but does not learn
                opt.updateIfFinite(gl1, pix, id, extraValue);
                return new double[] {gl1, pix, id, extraValue, foolValue};
            }
            opt.updateIfFinite(gl1, pix, id);
            if (critic == null) {
                return new double[] {gl1, pix, id};
            }
            double cl = critic.update(r.data(), res, rnd, ps, sm, fake, guidedW);
            return new double[] {gl1, pix, id, cl};
        }
    }

    /** Steps over which the mask's area cost rises from 0 to its weight (half of the default 300 steps). */
    public static final int MASK_RAMP_STEPS = 150;

    /** The manipulator's size edits are trained at unless the options say: at most this many pixels. */
    public static final int MAX_DEFAULT_WORKING_RESOLUTION = 128;

    /**
     * The default working size for a teacher's image size: the size itself up to
     * {@value #MAX_DEFAULT_WORKING_RESOLUTION} px, else its largest even divisor not above that (128 for
     * Stable Diffusion's 512 and 768: a full-size manipulator at 512 px needed 9.5 GB and 16 times the time
     * per step with the miniature teacher).
     */
    public static int defaultWorkingResolution(int teacherRes) {
        if (teacherRes <= MAX_DEFAULT_WORKING_RESOLUTION) {
            return teacherRes;
        }
        for (int d = MAX_DEFAULT_WORKING_RESOLUTION; d >= EditorBundle.MIN_RESOLUTION; d -= 2) {
            if (teacherRes % d == 0) {
                return d;
            }
        }
        return teacherRes;
    }

    /** Nearest-neighbour upsampling of (B, C, H, W) by a whole factor (differentiable). */
    static NDArray upsample(NDArray x, int factor) {
        return factor == 1 ? x : x.repeat(2, factor).repeat(3, factor);
    }

    private static List<BufferedImage> previewImages(DistillRequest r, int res) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < Math.min(8, r.data().size()); i++) {
            out.add(ImageTensors.resize(ImageTensors.toRgb(r.data().get(i).image()), res, res));
        }
        return out;
    }

    private static void writePreview(Path png, Manipulator manip, NDManager base, int res, List<BufferedImage> before,
            String edit) {
        manip.block().freezeParameters(true);
        try (ManipulatorEditor e = ManipulatorEditor.of(base, Map.of(edit, manip), res)) {
            List<BufferedImage> after = e.editRgb(before, edit);
            List<BufferedImage> grid = new ArrayList<>(before);
            grid.addAll(after);
            Grids.write(png, grid, before.size(), 3);
        } finally {
            manip.block().freezeParameters(false);
        }
    }

    /** The loss curves, each series from step 1 or, when {@code after} names it, after that many steps. */
    private static void writeCurves(Path work, Map<String, List<Double>> history, Map<String, Integer> after) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : history.entrySet()) {
            double[] xs = new double[e.getValue().size()];
            double[] ys = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = after.getOrDefault(e.getKey(), 0) + i + 1;
                ys[i] = e.getValue().get(i);
            }
            series.put(e.getKey() + " (moving average of 10)", new double[][] {xs, Plots.smooth(ys, 10)});
        }
        Plots.lines(work.resolve("loss.png"), "Distillation", "step", "value", series, true);
    }

    /**
     * The colours only the training images that show the target have ({@link TargetColours}), recorded with the edit
     * for put-back EDGE_AWARE; null without {@code --keep-captions}.
     */
    private static List<int[]> targetColours(DistillRequest r, int res) {
        String keep = r.options().keepCaptions();
        if (keep.isEmpty()) {
            if (r.options().putBack() == org.sdd4j.api.PutBack.EDGE_AWARE && r.listener() != null) {
                r.listener().onMessage("no target colours recorded: give --keep-captions REGEX naming the training"
                        + " images that already show the target, and a region the edit recolours whole takes the"
                        + " colour only they have (see the README, \"The data's blond\")");
            }
            return null;
        }
        if (r.listener() != null) {
            r.listener().onMessage("finding the target colours: up to " + TargetColours.IMAGES_EACH
                    + " images --keep-captions '" + keep + "' names and as many others");
        }
        long started = System.nanoTime();
        List<int[]> colours = TargetColours.of(r.data(), java.util.regex.Pattern.compile(keep,
                java.util.regex.Pattern.CASE_INSENSITIVE), res);
        if (r.listener() != null) {
            r.listener().onMessage(String.format(java.util.Locale.ROOT, "target colours (only those images have them):"
                    + " %s (%.1f s)", colours.isEmpty() ? "none" : colours.stream().map(java.util.Arrays::toString)
                            .collect(java.util.stream.Collectors.joining(" ")), (System.nanoTime() - started) / 1e9));
        }
        return colours;
    }

    /** Where the training pictures have their subject ({@link FramingTemplate}), recorded with the edit. */
    private static FramingTemplate framingTemplate(DistillRequest r, int res) {
        long started = System.nanoTime();
        FramingTemplate t = FramingTemplate.of(r.data(), res);
        if (r.listener() != null) {
            r.listener().onMessage(String.format(java.util.Locale.ROOT, "framing template: the mean edges of %d"
                    + " training images (%.1f s)", Math.min(FramingTemplate.IMAGES, r.data().size()),
                    (System.nanoTime() - started) / 1e9));
        }
        return t;
    }

    private static void writeBundle(DistillRequest r, Manipulator manip, int res, Map<String, List<Double>> history,
            double seconds, int resumedAt, int criticSkipped, List<int[]> targetColours, FramingTemplate framing) {
        ObjectNode entry = Json.object();
        entry.put("prompt", r.prompt());
        entry.put("negativePrompt", r.negativePrompt());
        entry.put("parameters", manip.block().parameterCount());
        entry.set("selection", selectionJson(r.selection()));
        entry.set("trainingTimesteps", Json.tree(r.options().sds().trainingTimesteps(r.selection().selected())));
        entry.put("putBack", r.options().putBack().name());
        entry.put(EditorBundle.MASK_GAIN, manip.maskGain());
        if (manip.maskFloor() != 0f) {
            entry.put(EditorBundle.MASK_FLOOR, manip.maskFloor());
        }
        if (targetColours != null) {
            com.fasterxml.jackson.databind.node.ArrayNode list = entry.putArray(EditorBundle.TARGET_COLOURS);
            targetColours.forEach(c -> list.addArray().add(c[0]).add(c[1]).add(c[2]));
        }
        EditorBundle.putFramingTemplate(entry, framing);
        ObjectNode training = entry.putObject("training");
        // the options as applied: a manipulator without a mask has no mask cost
        training.set("options", Json.tree(manip.predictsMask() ? r.options()
                : r.options().toBuilder().maskWeight(0).build()));
        training.put("data", r.data().describe());
        training.put("secondsThisRun", Math.round(seconds));
        training.put("resumedAtStep", resumedAt);
        if (criticSkipped >= 0) {
            // critic steps whose gradients were not finite and were skipped (CriticGuidance)
            training.put("criticStepsSkippedThisRun", criticSkipped);
        }
        for (Map.Entry<String, List<Double>> e : history.entrySet()) {
            List<Double> v = e.getValue();
            training.put("final_" + e.getKey(), v.subList(Math.max(0, v.size() - 20), v.size()).stream()
                    .mapToDouble(d -> d).average().orElse(Double.NaN));
        }
        ObjectNode header = Json.object();
        header.put("resolution", res);
        ObjectNode teacher = header.putObject("teacher");
        teacher.put("id", r.teacher().id());
        teacher.put("checksum", r.teacher().checksum());
        Path upsampler = null;
        if (r.options().putBack() == org.sdd4j.api.PutBack.LEARNED) {
            Path folder = Path.of(r.options().upsampler());
            JsonNode um = org.sdd4j.core.edit.GuidedUpsampler.check(folder, res);
            upsampler = org.sdd4j.core.edit.GuidedUpsampler.weightsFile(folder, um);
            entry.set("upsamplerMetrics", um.path("metrics"));
            org.sdd4j.core.edit.GuidedUpsampler.Network.of(um, org.sdd4j.core.edit.GuidedUpsampler.NETWORK)
                    .put(entry, EditorBundle.UPSAMPLER_NETWORK);
        }
        EditorBundle.addEdit(new EditorBundle.Target(r.outputDir(), r.replaceEdit(), r.force()), r.edit(), entry,
                new EditorBundle.WeightsHeader(manip.architecture(), manip.width(), res), manip.block(), header,
                upsampler);
    }

    /** The selection as JSON: rule, selected timesteps and every candidate's scores. */
    public static ObjectNode selectionJson(TimestepSelection s) {
        ObjectNode n = Json.object();
        n.put("prompt", s.prompt());
        n.put("rule", s.rule().toString());
        n.set("selected", Json.tree(s.selected()));
        n.put("sampleCount", s.sampleCount());
        var arr = n.putArray("scores");
        for (TimestepScore sc : s.scores()) {
            arr.add(Json.tree(sc));
        }
        return n;
    }
}
