package org.sdd4j.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.TrainingProgress;
import org.sdd4j.core.io.Checkpoint;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ema;

/**
 * The one training loop of the library (teacher, oracle, distiller supply only their step): resume
 * from the work folder's checkpoint, run the steps, stop on a non-finite loss keeping the last good
 * checkpoint, report progress and throughput, checkpoint periodically and at the end, and stop cleanly
 * at a {@link StopRequest}.
 */
public final class TrainingLoop {

    /** One optimisation step: returns its losses, in the order of the loop's loss names. */
    @FunctionalInterface
    public interface Step {
        /** Runs step {@code step} (1-based) and returns its losses. */
        double[] run(int step);
    }

    /** Work done after a step or a checkpoint (sample grids, previews, curves). */
    @FunctionalInterface
    public interface Hook {
        /** Called with the step just completed and the loss history so far. */
        void after(int step, Map<String, List<Double>> history);
    }

    /** What a finished run reports. */
    public record Result(int resumedAt, Map<String, List<Double>> history) {}

    private final String what;
    private final int steps;
    private final int checkpointEvery;
    private final Path workDir;
    private final String fingerprint;
    private final List<String> lossNames;
    private final String advice;
    private Block model;
    private NDManager manager;
    private AdamW optimizer;
    private Ema ema;
    private Checkpoint.Companion companion;
    private ProgressListener listener = ProgressListener.NONE;
    private Hook afterStep = (s, h) -> {};
    private Hook afterCheckpoint = (s, h) -> {};

    /**
     * @param what the run's name in messages, e.g. {@code "teacher training"}
     * @param steps the total number of steps
     * @param checkpointEvery checkpoint period in steps (0: only at the end)
     * @param workDir the work folder of the checkpoint, or null for a run without checkpoints
     * @param fingerprint what must not change between a run and its resumption
     * @param lossNames the names of the step's losses
     * @param advice what to try after a non-finite loss, e.g. "lower the learning rate, now 0.01"
     */
    public TrainingLoop(String what, int steps, int checkpointEvery, Path workDir, String fingerprint,
            List<String> lossNames, String advice) {
        this.what = what;
        this.steps = steps;
        this.checkpointEvery = checkpointEvery;
        this.workDir = workDir;
        this.fingerprint = fingerprint;
        this.lossNames = List.copyOf(lossNames);
        this.advice = advice;
    }

    /**
     * One optimisation step on a scalar loss built inside a gradient collector of {@code scope}'s engine: backward,
     * then the optimiser's update unless the loss is not finite.
     *
     * @return the loss
     */
    public static double minimise(NDManager scope, AdamW opt, java.util.function.Supplier<ai.djl.ndarray.NDArray> loss) {
        double v;
        try (ai.djl.training.GradientCollector gc = scope.getEngine().newGradientCollector()) {
            ai.djl.ndarray.NDArray l = loss.get();
            gc.backward(l);
            v = l.getFloat();
        }
        opt.updateIfFinite(v);
        return v;
    }

    /** A step's loss for {@link #fit}, built in the step's own memory scope. */
    @FunctionalInterface
    public interface Loss {
        /** The loss of step {@code step}. */
        ai.djl.ndarray.NDArray of(int step, NDManager scope, ai.djl.training.ParameterStore ps);
    }

    /**
     * Seeds the engine, initialises a block and trains it with AdamW (no weight decay) and no checkpoints, one scalar
     * loss per step, each built in its own memory scope: the small single-loss trainers (autoencoder prior, guided
     * upsampler).
     */
    public static void fit(String name, org.sdd4j.core.nn.Module block, NDManager m, long seed, float learningRate,
            int steps, String lossName, ProgressListener listener, Loss loss) {
        seed(m, seed);
        block.initialize(m);
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
        try (AdamW opt = new AdamW(block, m, learningRate, 0f)) {
            new TrainingLoop(name, steps, 0, null, "", List.of(lossName), "lower the learning rate")
                    .model(block, m, opt, null).listener(listener)
                    .run(step -> {
                        try (NDManager s = m.newSubManager()) {
                            return new double[] {minimise(s, opt, () -> loss.of(step, s, ps))};
                        }
                    });
        }
    }

    /** Seeds the engine of {@code manager} (never another engine that happens to be the default). */
    public static void seed(NDManager manager, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
    }

    /** The model, its manager, optimiser and optional weight average, saved in checkpoints. */
    public TrainingLoop model(Block block, NDManager blockManager, AdamW opt, Ema average) {
        this.model = block;
        this.manager = blockManager;
        this.optimizer = opt;
        this.ema = average;
        return this;
    }

    /** A second model trained alongside (its weights and optimiser are checkpointed too); null for none. */
    public TrainingLoop companion(Checkpoint.Companion c) {
        this.companion = c;
        return this;
    }

    /** The progress receiver. */
    public TrainingLoop listener(ProgressListener l) {
        this.listener = l == null ? ProgressListener.NONE : l;
        return this;
    }

    /** Work after every step. */
    public TrainingLoop afterStep(Hook hook) {
        this.afterStep = hook;
        return this;
    }

    /** Work after every checkpoint (for example the loss curve). */
    public TrainingLoop afterCheckpoint(Hook hook) {
        this.afterCheckpoint = hook;
        return this;
    }

    /** The checkpoint file, or null for a run without one. */
    public Path checkpoint() {
        return workDir == null ? null : workDir.resolve("checkpoint.bin");
    }

    /**
     * Runs (or resumes) the loop.
     *
     * @param step the trainer's step
     * @return where it resumed and the loss history
     * @throws IllegalStateException on a non-finite loss
     * @throws TrainingStoppedException when a stop was requested (after checkpointing)
     */
    public Result run(Step step) {
        StopRequest.ACTIVE_LOOPS.incrementAndGet();
        try {
            return runLoop(step);
        } finally {
            StopRequest.ACTIVE_LOOPS.decrementAndGet();
        }
    }

    private Result runLoop(Step step) {
        if (workDir != null) {
            WorkFolder.claim(workDir, "--work");
        }
        Path ckpt = checkpoint();
        Map<String, List<Double>> history = new LinkedHashMap<>();
        for (String k : lossNames) {
            history.put(k, new ArrayList<>());
        }
        int start = 0;
        int lastSaved = -1;
        if (ckpt != null && Files.exists(ckpt)) {
            Checkpoint.State st = Checkpoint.load(ckpt, fingerprint, model, manager, optimizer, ema, companion);
            start = st.step();
            lastSaved = start;
            history.putAll(st.history());
            listener.onMessage("resumed " + what + " from " + ckpt + " at step " + start);
        }
        long windowStart = System.nanoTime();
        int windowSteps = 0;
        for (int s = start + 1; s <= steps; s++) {
            double[] losses = step.run(s);
            Map<String, Double> named = new LinkedHashMap<>();
            for (int i = 0; i < losses.length; i++) {
                if (!Double.isFinite(losses[i])) {
                    throw new IllegalStateException(what + " produced a non-finite " + lossNames.get(i) + " loss ("
                            + losses[i] + ") at step " + s + "; " + (lastSaved >= 0
                                    ? "the last good checkpoint (step " + lastSaved + ") is kept in " + ckpt
                                    : "no checkpoint had been written yet")
                            + " (" + advice + ")");
                }
                history.get(lossNames.get(i)).add(losses[i]);
                named.put(lossNames.get(i), losses[i]);
            }
            windowSteps++;
            double sps = windowSteps / ((System.nanoTime() - windowStart) / 1e9);
            listener.onStep(new TrainingProgress(s, steps, named, sps));
            boolean stop = StopRequest.requested();
            if (ckpt != null && ((checkpointEvery > 0 && s % checkpointEvery == 0) || s == steps || stop)) {
                Checkpoint.save(ckpt, fingerprint, s, model, optimizer, ema, history, companion);
                lastSaved = s;
                afterCheckpoint.after(s, history);
            }
            if (stop) {
                throw new TrainingStoppedException(what + " stopped at step " + s + " of " + steps + (ckpt != null
                        ? "; checkpoint " + ckpt + " written: run the same command again to resume"
                        : "; nothing was written"));
            }
            afterStep.after(s, history);
            if (windowSteps >= 50) {
                windowStart = System.nanoTime();
                windowSteps = 0;
            }
        }
        return new Result(start, history);
    }
}
