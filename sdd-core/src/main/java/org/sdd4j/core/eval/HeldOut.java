package org.sdd4j.core.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;

/**
 * The held-out protocol: edits are trained on faces of {@link #TRAIN_WORLD} and measured on faces of
 * {@link #HELD_OUT_WORLD}, which no training run ever sees; for each held-out face the genuine
 * counterfactual (the same identity rendered with the target attribute) is the ground truth.
 */
public final class HeldOut {

    /** The world seed of the training faces. */
    public static final long TRAIN_WORLD = 1;
    /** The world seed of the held-out faces (never used for training). */
    public static final long HELD_OUT_WORLD = 1001;
    private static final int WORLD_SIZE = 1_000_000;

    private HeldOut() {}

    /** The training faces at a resolution. */
    public static FaceWorld trainingWorld(int resolution) {
        return new FaceWorld(TRAIN_WORLD, WORLD_SIZE, resolution);
    }

    /** The held-out faces at a resolution. */
    public static FaceWorld world(int resolution) {
        return world(HELD_OUT_WORLD, resolution);
    }

    /**
     * Another held-out world, for a second look at settings chosen on {@link #HELD_OUT_WORLD}.
     *
     * @throws IllegalArgumentException for the training world
     */
    public static FaceWorld world(long seed, int resolution) {
        if (seed == TRAIN_WORLD) {
            throw new IllegalArgumentException("world " + seed + " is the training world; a held-out world must be"
                    + " another one (the default is " + HELD_OUT_WORLD + ")");
        }
        return new FaceWorld(seed, WORLD_SIZE, resolution);
    }

    /** Indices (in the held-out world) of the first {@code n} faces an edit applies to. */
    public static List<Integer> indices(EditTarget edit, int n, int resolution) {
        return indices(HELD_OUT_WORLD, edit, n, resolution);
    }

    /** Indices (in the held-out world {@code seed}) of the first {@code n} faces an edit applies to. */
    public static List<Integer> indices(long seed, EditTarget edit, int n, int resolution) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of held-out faces must be >= 1, got " + n);
        }
        FaceWorld world = world(seed, resolution);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; out.size() < n; i++) {
            if (edit.appliesTo(world.face(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The first {@code n} held-out faces an edit applies to. */
    public static List<Face> faces(EditTarget edit, int n, int resolution) {
        FaceWorld world = world(resolution);
        return indices(edit, n, resolution).stream().map(world::face).toList();
    }

    /** The first {@code n} held-out faces that already show the edit's target (see {@link AlreadyShown}). */
    public static List<Face> facesShowing(EditTarget edit, int n, int resolution) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of held-out faces must be >= 1, got " + n);
        }
        FaceWorld world = world(resolution);
        List<Face> out = new ArrayList<>(n);
        for (int i = 0; out.size() < n; i++) {
            Face f = world.face(i);
            if (!edit.appliesTo(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The genuine counterfactuals of held-out faces: the same identities rendered with the edit's target. */
    public static List<Face> counterfactuals(EditTarget edit, List<Integer> indices, int resolution) {
        return counterfactuals(HELD_OUT_WORLD, edit, indices, resolution);
    }

    /** The genuine counterfactuals of faces of the held-out world {@code seed}. */
    public static List<Face> counterfactuals(long seed, EditTarget edit, List<Integer> indices, int resolution) {
        FaceWorld world = world(seed, resolution);
        // drawn from the index alone: rendered on every core, in order
        return indices.parallelStream().map(i -> world.faceWith(i, edit.target().apply(world.attributes(i))))
                .toList();
    }

    /** The images of faces. */
    public static List<BufferedImage> images(List<Face> faces) {
        return faces.stream().map(Face::image).toList();
    }
}
