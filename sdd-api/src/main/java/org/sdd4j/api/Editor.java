package org.sdd4j.api;

import ai.djl.modality.cv.Image;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sdd4j.api.spi.SddBackend;

/**
 * Applies trained manipulators: one forward pass per edit. Thread-safe for concurrent callers.
 *
 * <pre>{@code
 * try (Editor editor = Editor.load(Path.of("editors/smiling"))) {
 *     Image out = editor.edit(ImageFactory.getInstance().fromFile(in), "smiling");
 * }
 * }</pre>
 */
public interface Editor extends AutoCloseable {

    /**
     * Loads an editor bundle with the best available backend.
     *
     * @param bundle the bundle folder (manifest.json and weights)
     * @return the editor
     */
    static Editor load(Path bundle) {
        return Backends.best().loadEditor(bundle);
    }

    /**
     * Loads an editor bundle with a named backend.
     *
     * @param bundle the bundle folder
     * @param backend the backend's name, see {@link Backends#names()}
     * @return the editor
     */
    static Editor load(Path bundle, String backend) {
        SddBackend b = Backends.get(backend);
        return b.loadEditor(bundle);
    }

    /** The edits this editor can apply, for example {@code [smiling]}. */
    Set<String> edits();

    /**
     * Edits one image of any size; the result has the input's size. An image that is not square is edited whole,
     * centred on a square with its edge pixels repeated, so its subject looks smaller to the model than in a square
     * picture; for a subject in the middle of a wide or tall picture, {@code Framing.edit(editor, image, edit,
     * Framing.Fit.CROP)} (sdd-core) edits its centred square at the subject's own scale and leaves the rest as it was,
     * as {@code sdd edit} does by default; for a subject anywhere in a picture, {@code Framing.edit(editor, image,
     * edit, Framing.Square.around(x, y, w, h))} edits the square round its box ({@code sdd edit --region}).
     *
     * @param image the input
     * @param edit one of {@link #edits()}
     * @return the edited image
     * @throws IllegalArgumentException if the edit is unknown (the message lists the known ones)
     */
    Image edit(Image image, String edit);

    /**
     * Edits a batch in one forward pass per model-resolution batch.
     *
     * @param images the inputs, any sizes
     * @param edit one of {@link #edits()}
     * @return the edited images, in order
     */
    List<Image> edit(List<Image> images, String edit);

    @Override
    void close();
}
