package org.sdd4j.core.data;

import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;

/**
 * The positional split of a folder's images that every command of the library shares: every fifth image of
 * the list (positions 4, 9, 14, ...) is held out, the others train. The caption judge of
 * {@code evaluate-teacher --data} holds out the same images, so a model trained on the training part never
 * saw the images it is judged on.
 */
public final class HeldOutSplit {

    /** One image in this many is held out. */
    public static final int EVERY = 5;

    private HeldOutSplit() {}

    /** Whether the image at a position of the list is held out. */
    public static boolean isHeldOut(int index) {
        return index % EVERY == EVERY - 1;
    }

    /** The training part of the data (positions not held out), as a view. */
    public static TrainingData training(TrainingData data) {
        return view(data, false);
    }

    /** The held-out part of the data, as a view. */
    public static TrainingData heldOut(TrainingData data) {
        return view(data, true);
    }

    private static TrainingData view(TrainingData data, boolean held) {
        int n = data.size();
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += isHeldOut(i) == held ? 1 : 0;
        }
        int[] idx = new int[count];
        for (int i = 0, k = 0; i < n; i++) {
            if (isHeldOut(i) == held) {
                idx[k++] = i;
            }
        }
        if (idx.length == 0) {
            throw new IllegalArgumentException(data.describe() + " has too few images for a " + (held ? "held-out"
                    : "training") + " part (every " + EVERY + "th image is held out)");
        }
        String part = held ? "held-out" : "training";
        return new TrainingData() {
            @Override
            public int size() {
                return idx.length;
            }

            @Override
            public CaptionedImage get(int index) {
                return data.get(idx[index]);
            }

            @Override
            public String caption(int index) {
                return data.caption(idx[index]);
            }

            @Override
            public String describe() {
                return part + " part (every " + EVERY + "th image held out) of " + data.describe();
            }
        };
    }
}
