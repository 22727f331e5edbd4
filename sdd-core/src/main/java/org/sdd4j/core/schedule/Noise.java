package org.sdd4j.core.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Gaussian noise from a seeded Java generator: engine-independent and reproducible, so a run gives
 * the same noise on PyTorch, TensorFlow or a GPU.
 */
public final class Noise {

    private Noise() {}

    /** Standard normal noise of a shape. */
    public static NDArray gaussian(NDManager m, Shape shape, SplittableRandom r) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) gaussian(r);
        }
        return m.create(v, shape);
    }

    /** One standard normal draw (Box-Muller). */
    public static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
