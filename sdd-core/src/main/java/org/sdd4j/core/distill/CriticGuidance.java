package org.sdd4j.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.io.Checkpoint;
import org.sdd4j.core.nn.AdamW;
import org.sdd4j.core.nn.Ops;

/**
 * Realism learned from the data ({@code --critic-weight}): a {@link Critic} trained alongside the manipulator to
 * tell the training images that show the target (their caption matches {@code --keep-captions}) from the
 * manipulator's edits, with the non-saturating logistic loss; the manipulator gets weight x softplus(-critic(y'))
 * per guided image. The critic scores an image by the mean of its patch logits, so it can put its weight where
 * edits and genuine images differ. Before distillation it is warmed up on the images that show the target against
 * those that do not (at step 0 the edits are the inputs), so that its first gradients already point toward the
 * data's look of the target rather than being noise.
 */
final class CriticGuidance implements AutoCloseable {

    /** The critic's base width. */
    static final int WIDTH = 32;
    /** The critic's learning rate (AdamW with betas 0.5 and 0.999, no weight decay, as usual for critics). */
    static final float LEARNING_RATE = 1e-3f;
    /** Warm-up steps before distillation. */
    static final int WARM_UP_STEPS = 300;

    private final Critic critic;
    private final AdamW opt;
    private final Pattern real;
    private final String realRegex;
    private final float weight;
    private int skipped;

    CriticGuidance(float weight, String keepCaptions, int resolution, NDManager base) {
        if (resolution % 8 != 0) {
            throw new IllegalArgumentException("the critic (--critic-weight) pools three times by 2: it needs a working"
                    + " resolution that is a multiple of 8, got " + resolution + " (--working-resolution)");
        }
        this.weight = weight;
        this.realRegex = keepCaptions;
        this.real = Pattern.compile(keepCaptions, Pattern.CASE_INSENSITIVE);
        critic = new Critic(WIDTH);
        critic.initialize(base);
        opt = new AdamW(critic, base, LEARNING_RATE, 0f, 0.5f, 0.999f, 1e-8f);
    }

    /** What checkpoints keep of it. */
    Checkpoint.Companion companion() {
        return new Checkpoint.Companion("critic", critic, opt);
    }

    /** Whether a caption marks an image that shows the target. */
    boolean showsTarget(String caption) {
        return caption != null && real.matcher(caption).find();
    }

    /** The critic's score per image (B): the mean of its patch logits. */
    NDArray score(ParameterStore ps, NDArray x) {
        long b = x.getShape().get(0);
        return critic.logits(ps, x, true).reshape(b, -1).mean(new int[] {1});
    }

    /**
     * The manipulator's term: weight x the mean over the batch of softplus(-score) x guided (B floats of 0/1). The
     * critic is frozen for it: the manipulator's backward pass computes no gradients for the critic's weights, so
     * that the critic's gradients are only ever those of its own step (and no time is spent on ones thrown away).
     */
    NDArray foolLoss(ParameterStore ps, NDArray edited, NDArray guided) {
        long b = edited.getShape().get(0);
        critic.freezeParameters(true);
        try {
            return Ops.mul(Ops.softplus(score(ps, edited).neg()).mul(guided.reshape(b)).sum(), weight / (float) b);
        } finally {
            critic.freezeParameters(false);
        }
    }

    /** Critic steps skipped because their gradients were not finite. */
    int skippedSteps() {
        return skipped;
    }

    /**
     * Trains the critic {@code steps} steps on the training images that show the target against those that do not.
     *
     * @return the last step's loss
     */
    double warmUp(TrainingData data, int batch, int res, long seed, int steps, ParameterStore ps, NDManager base) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919L + 17);
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            List<BufferedImage> pos = new ArrayList<>(batch);
            List<BufferedImage> neg = new ArrayList<>(batch);
            for (int tries = 0; (pos.size() < batch || neg.size() < batch) && tries < TRIES_PER_IMAGE * batch;
                    tries++) {
                int i = rnd.nextInt(data.size());
                List<BufferedImage> to = showsTarget(data.caption(i)) ? pos : neg;
                if (to.size() < batch) {
                    to.add(ImageTensors.toRgb(data.get(i).image()));
                }
            }
            requireSome(pos, "whose caption matches");
            requireSome(neg, "whose caption does not match");
            try (NDManager sm = base.newSubManager()) {
                loss = step(ps, ImageTensors.batch(pos, res, sm), ImageTensors.batch(neg, res, sm), null);
            }
        }
        return loss;
    }

    /**
     * One critic step: the data's images that show the target (drawn with {@code rnd}) against this step's edits of
     * the guided images.
     *
     * @param fake the edits (B, 3, H, W), detached
     * @param guided 1 for an edit of an image that does not show the target, else 0 (B)
     * @return the critic's loss, or NaN (the step skipped) when it is not finite
     */
    double update(TrainingData data, int res, SplittableRandom rnd, ParameterStore ps, NDManager sm, NDArray fake,
            NDArray guided) {
        int b = (int) fake.getShape().get(0);
        List<BufferedImage> reals = new ArrayList<>(b);
        for (int tries = 0; reals.size() < b && tries < TRIES_PER_IMAGE * b; tries++) {
            int i = rnd.nextInt(data.size());
            if (showsTarget(data.caption(i))) {
                reals.add(ImageTensors.toRgb(data.get(i).image()));
            }
        }
        requireSome(reals, "whose caption matches");
        return step(ps, ImageTensors.batch(reals, res, sm), fake, guided);
    }

    private double step(ParameterStore ps, NDArray pos, NDArray neg, NDArray negWeights) {
        double loss;
        try (GradientCollector gc = pos.getManager().getEngine().newGradientCollector()) {
            NDArray lp = Ops.softplus(score(ps, pos).neg()).mean();
            NDArray sn = Ops.softplus(score(ps, neg));
            NDArray ln;
            if (negWeights == null) {
                ln = sn.mean();
            } else {
                NDArray w = negWeights.reshape(sn.getShape());
                ln = sn.mul(w).sum().div(Ops.maximum(w.sum(), 1f));
            }
            NDArray total = lp.add(ln);
            gc.backward(total);
            loss = total.getFloat();
        }
        if (Double.isFinite(loss) && gradientsFinite()) {
            opt.update();
        } else {
            // a step that would poison the weights is skipped; the gradients are overwritten, since subtracting a
            // NaN from itself does not clear it
            skipped++;
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : critic.getParameters()) {
                    NDArray g = p.getValue().getArray().getGradient();
                    g.set(new float[Math.toIntExact(g.size())]);
                }
            }
        }
        return loss;
    }

    private boolean gradientsFinite() {
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            scope.suppressNotUsedWarning();
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : critic.getParameters()) {
                NDArray g = p.getValue().getArray().getGradient();
                if (!Float.isFinite(g.abs().sum().getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void requireSome(List<BufferedImage> found, String which) {
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the critic (--critic-weight) found no training image " + which
                    + " --keep-captions '" + realRegex + "' in " + TRIES_PER_IMAGE + " draws per image: it needs both"
                    + " images that show the target and images that do not");
        }
    }

    /** Draws per wanted image before giving up on finding images of one kind. */
    static final int TRIES_PER_IMAGE = 400;

    @Override
    public void close() {
        opt.close();
    }
}
