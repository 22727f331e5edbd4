package org.sdd4j.core.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.TeacherSpace;
import org.sdd4j.core.schedule.NoiseMath;
import org.sdd4j.core.nn.Ops;

/**
 * Classifier-free guidance, once for every teacher (Ho and Salimans 2022, eq. 6):
 * eps_hat = eps_u + s * (eps_c - eps_u), where eps_u comes from the empty or the negative prompt. Both
 * branches run in one batched network call; at s = 1 only the conditional branch runs. The teacher's
 * raw output is converted to epsilon here, in one place, whatever its prediction type.
 */
public final class Guidance {

    private Guidance() {}

    /**
     * The guided noise prediction for a batch.
     *
     * @param teacher the teacher
     * @param xt noisy samples (B, C, H, W) in the teacher's space
     * @param timesteps one per sample, in [0, T)
     * @param c the encoded prompt (and negative prompt)
     * @param scale s; 1 gives the conditional prediction, 0 the unconditional one
     * @return epsilon (B, C, H, W), attached to {@code xt}'s manager
     * @throws IllegalArgumentException naming a wrong shape or timestep
     */
    public static NDArray predictNoise(DiffusionTeacher teacher, NDArray xt, int[] timesteps, Conditioning c,
            float scale) {
        validate(teacher, xt, timesteps);
        long b = xt.getShape().get(0);
        if (scale == 1f) {
            NDArray emb = c.conditional().repeat(0, b).toDevice(xt.getDevice(), false);
            return epsilon(teacher, xt, timesteps, teacher.predict(xt, timesteps, emb));
        }
        NDArray[] uc = branches(teacher, xt, timesteps, c);
        return uc[0].add(Ops.mul(uc[1].sub(uc[0]), scale));
    }

    /** The unconditional (or negative) and conditional predictions, in one batched network call. */
    private static NDArray[] branches(DiffusionTeacher teacher, NDArray xt, int[] timesteps, Conditioning c) {
        long b = xt.getShape().get(0);
        int[] t2 = new int[2 * (int) b];
        System.arraycopy(timesteps, 0, t2, 0, (int) b);
        System.arraycopy(timesteps, 0, t2, (int) b, (int) b);
        NDArray x2 = xt.concat(xt, 0);
        NDArray emb = c.unconditional().repeat(0, b).concat(c.conditional().repeat(0, b), 0)
                .toDevice(xt.getDevice(), false);
        NDArray eps = epsilon(teacher, x2, t2, teacher.predict(x2, t2, emb));
        return new NDArray[] {eps.get("0:" + b), eps.get(b + ":")};
    }

    /**
     * The guided noise prediction with one scale per sample (two-scale guidance), in one batched call; with
     * every scale equal it is {@link #predictNoise(DiffusionTeacher, NDArray, int[], Conditioning, float)}.
     *
     * @param scales s for each sample
     */
    public static NDArray predictNoise(DiffusionTeacher teacher, NDArray xt, int[] timesteps, Conditioning c,
            float[] scales) {
        boolean same = true;
        for (float s : scales) {
            same &= s == scales[0];
        }
        if (same) {
            return predictNoise(teacher, xt, timesteps, c, scales[0]);
        }
        validate(teacher, xt, timesteps);
        NDArray[] uc = branches(teacher, xt, timesteps, c);
        return uc[0].add(uc[1].sub(uc[0]).mul(NoiseMath.perSample(scales, xt.getManager(), xt.getShape().dimension())));
    }

    private static NDArray epsilon(DiffusionTeacher teacher, NDArray xt, int[] t, NDArray prediction) {
        if (!prediction.getShape().equals(xt.getShape())) {
            throw new IllegalStateException("teacher " + teacher.id() + " returned a prediction of shape "
                    + prediction.getShape() + " for x_t of shape " + xt.getShape());
        }
        return NoiseMath.toEpsilon(teacher.schedule(), teacher.predictionType(), xt, prediction, t);
    }

    /** Checks x_t against the teacher's space and the timesteps against its schedule. */
    static void validate(DiffusionTeacher teacher, NDArray xt, int[] timesteps) {
        TeacherSpace sp = teacher.space();
        Shape s = xt.getShape();
        if (s.dimension() != 4 || s.get(1) != sp.channels() || s.get(2) != sp.height() || s.get(3) != sp.width()) {
            throw new IllegalArgumentException("teacher " + teacher.id() + " expects x_t of shape (B, " + sp.channels()
                    + ", " + sp.height() + ", " + sp.width() + "), got " + s);
        }
        if (timesteps.length != s.get(0)) {
            throw new IllegalArgumentException(s.get(0) + " samples but " + timesteps.length + " timesteps");
        }
        int n = teacher.schedule().numTimesteps();
        for (int t : timesteps) {
            if (t < 0 || t >= n) {
                throw new IllegalArgumentException("timestep " + t + " is outside [0, " + n + ") of teacher "
                        + teacher.id());
            }
        }
    }
}
