package org.sdd4j.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Refinement;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.nn.Ops;

/**
 * The refinement phase of a distillation ({@link Refinement}): the teacher redraws the manipulator's edits of some
 * training images, and the manipulator is then trained toward them (once per round).
 *
 * <p>A redrawn edit is r = SDEdit(f(x)) (noised to t = s T, denoised by guided DDIM under the edit's prompt and
 * negative prompt), kept only where the edit changed the image: the target is f(x) + m (r - f(x)) with m = min(1, max
 * over channels |f(x) - x| / {@value #CHANGE_SCALE}) widened by one pixel, so that the sampler's changes elsewhere (it
 * redraws the whole image a little) never reach the target, and where the edit changed the image faintly the target
 * keeps the edit. (The first version blended toward the input there, x + m (r - x), which pulled every faint stroke
 * toward the input and taught the edit to fade: FaceWorld's smile on dark faces, docs/RESULTS.md.) Images whose caption
 * already shows the target keep themselves as target. The phase's loss is the squared distance of the edit, computed as
 * when editing (with the mask gain and a latent manipulator's projection onto its prior), to the target, summed per
 * image and averaged over the batch: training the training-mode edit instead, which editing then opens by the mask gain
 * and projects again, left FaceWorld's blond hair at a Frechet distance of 19.40 against 5.92 (docs/RESULTS.md).
 */
public final class TeacherRefinement implements AutoCloseable {

    /** Change (on the [-1, 1] scale) from which a pixel of the redrawn edit is fully kept. */
    public static final float CHANGE_SCALE = 0.1f;

    /**
     * How the targets are formed, part of the refinement's checkpoint fingerprint: a refinement checkpointed with the
     * first version's targets (blended toward the input where the edit changed faintly) does not resume with these.
     */
    static final String TARGETS = "targets keep faint edits";

    /** Images the teacher redraws per call. */
    static final int BATCH = 16;

    /** DDIM steps over the whole schedule; an edit of strength s runs about s times as many. */
    static final int DDIM_STEPS = 50;

    private final NDManager pool;
    private final List<NDArray> inputs = new ArrayList<>();
    private final List<NDArray> targets = new ArrayList<>();

    private TeacherRefinement(NDManager pool) {
        this.pool = pool;
    }

    /**
     * Draws the training images and redraws their edits.
     *
     * @param data the training data
     * @param keep captions that already show the target (null: none)
     * @param manip the manipulator after the guided steps
     * @param teacher the teacher
     * @param prompt the edit's prompt
     * @param negativePrompt its negative prompt ("" for none)
     * @param o the phase's options
     * @param res the manipulator's working size
     * @param seed the run's seed
     * @param round the refinement round (from 1): the same images every round, redrawn with the round's own noise
     * @param ps parameter store
     * @param parent manager the pool lives under until {@link #close()}
     * @return the pool of inputs and targets
     */
    public static TeacherRefinement prepare(TrainingData data, Pattern keep, Manipulator manip, DiffusionTeacher teacher,
            String prompt, String negativePrompt, Refinement o, int res, long seed, int round, ParameterStore ps,
            NDManager parent) {
        TeacherRefinement r = new TeacherRefinement(parent.newSubManager());
        try {
            List<Integer> chosen = choose(data.size(), o.images(), new SplittableRandom(seed * 7_919L + 101));
            SdEdit sdedit = new SdEdit(teacher);
            int up = teacher.imageSize() / res;
            try (NDManager scope = parent.newSubManager();
                    Conditioning c = teacher.encode(prompt, negativePrompt == null ? "" : negativePrompt, scope)) {
                for (int from = 0; from < chosen.size(); from += BATCH) {
                    List<Integer> part = chosen.subList(from, Math.min(chosen.size(), from + BATCH));
                    List<BufferedImage> imgs = new ArrayList<>();
                    float[] guided = new float[part.size()];
                    for (int i = 0; i < part.size(); i++) {
                        CaptionedImage item = data.get(part.get(i));
                        imgs.add(ImageTensors.toRgb(item.image()));
                        guided[i] = keep != null && item.caption() != null && keep.matcher(item.caption()).find()
                                ? 0f : 1f;
                    }
                    try (NDManager bm = scope.newSubManager()) {
                        NDArray x = ImageTensors.batch(imgs, res, bm);
                        NDArray edited = manip.apply(ps, x, false).stopGradient();
                        NDArray z = teacher.toTeacherSpace(SddDistiller.upsample(edited, up));
                        SdEdit.Options so = new SdEdit.Options(o.strength(), DDIM_STEPS, o.guidance(),
                                seed * 1_000_003L + from + (round - 1) * 104_729L);
                        NDArray redrawn = downsample(teacher.toImages(sdedit.edit(z, c, so, bm)), up).clip(-1f, 1f);
                        NDArray g = bm.create(guided, new Shape(part.size(), 1, 1, 1));
                        NDArray m = changeMask(x, edited);
                        // the redrawing where the edit changed the image, the edit itself where it changed it faintly
                        NDArray target = x.add(edited.sub(x).add(redrawn.sub(edited).mul(m)).mul(g));
                        for (int i = 0; i < part.size(); i++) {
                            r.inputs.add(keep(x.get(i), r.pool));
                            r.targets.add(keep(target.get(i), r.pool));
                        }
                    }
                }
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** How many images the pool holds. */
    public int size() {
        return inputs.size();
    }

    /** The i-th input (3, H, W), for tests. */
    NDArray input(int i) {
        return inputs.get(i);
    }

    /** The i-th target (3, H, W), for tests. */
    NDArray target(int i) {
        return targets.get(i);
    }

    /**
     * The phase's loss for one step: a batch drawn from the pool, the squared distance of the edit (as when editing) to
     * its target, summed per image, averaged over the batch (built in {@code scope}, differentiable).
     */
    public NDArray loss(Manipulator manip, ParameterStore ps, int batch, SplittableRandom rnd, NDManager scope) {
        NDList xs = new NDList();
        NDList ts = new NDList();
        for (int i = 0; i < batch; i++) {
            int k = rnd.nextInt(inputs.size());
            xs.add(inputs.get(k));
            ts.add(targets.get(k));
        }
        NDArray x = NDArrays.stack(xs);
        NDArray t = NDArrays.stack(ts);
        x.attach(scope);
        t.attach(scope);
        // the edit as it is applied when editing (mask gain, projection onto a prior), which the targets start from
        NDArray y = manip.apply(ps, x, false);
        return y.sub(t).square().sum().mul(Ops.constant(y, 1f / batch));
    }

    /**
     * Where an edit changed its input: min(1, max over channels |edited - x| / {@value #CHANGE_SCALE}), widened by
     * one pixel (a 3x3 maximum), shape (B, 1, H, W).
     */
    static NDArray changeMask(NDArray x, NDArray edited) {
        NDArray m = Ops.changeWeight(x, edited, CHANGE_SCALE);
        return ai.djl.nn.pooling.Pool.maxPool2d(m, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
    }

    /** The mean over each f x f square of (B, C, H, W) (f = 1: the input). */
    static NDArray downsample(NDArray x, int f) {
        if (f == 1) {
            return x;
        }
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), s.get(2) / f, f, s.get(3) / f, f).mean(new int[] {3, 5});
    }

    /** {@code n} distinct indices below {@code size} (all of them, shuffled, when n >= size). */
    static List<Integer> choose(int size, int n, SplittableRandom rnd) {
        List<Integer> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(i);
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        return new ArrayList<>(all.subList(0, Math.min(size, n)));
    }

    private static NDArray keep(NDArray a, NDManager m) {
        NDArray c = a.duplicate();
        c.attach(m);
        return c;
    }

    @Override
    public void close() {
        pool.close();
    }
}
