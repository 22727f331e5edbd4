package org.sdd4j.core.data;

import org.sdd4j.api.CaptionedImage;

/**
 * A data source that marks, per example, the small regions whose content the caption decides (in
 * FaceWorld: the mouth, the eyes and the glasses). Teacher training can weight its loss there so that a
 * few pixels that carry a word are not drowned by the many that do not.
 */
public interface EmphasisRegions {

    /**
     * One example with its mask.
     *
     * @param example the image and caption, the same as {@code get(index)} of the source
     * @param mask row-major, one entry per pixel of the image, true inside the regions
     */
    record Emphasized(CaptionedImage example, boolean[] mask) {}

    /**
     * The example at an index with its emphasis mask.
     *
     * @param index in [0, size())
     * @return the example and mask
     */
    Emphasized emphasized(int index);
}
