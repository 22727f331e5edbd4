package org.sdd4j.api;

/**
 * A finite, indexable source of captioned images: a synthetic domain or a user's folder.
 * Implementations are deterministic: {@code get(i)} returns the same example every time.
 */
public interface TrainingData {

    /** Number of examples. */
    int size();

    /**
     * The example at an index.
     *
     * @param index in [0, size())
     * @return the image and its caption
     * @throws IllegalArgumentException if the example cannot be read, with the reason
     */
    CaptionedImage get(int index);

    /**
     * The caption of the example at an index, without reading its image where the source can (a folder's
     * list); the default reads the example.
     *
     * @param index in [0, size())
     * @return its caption
     */
    default String caption(int index) {
        return get(index).caption();
    }

    /** A one-line description recorded in manifests, for example {@code faceworld(seed=1, n=100000)}. */
    String describe();
}
