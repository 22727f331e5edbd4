package org.sdd4j.core.edit;

import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageTensors;

/**
 * How an image that is not square meets an editor's square model. {@link Fit#PAD} (what {@link Editor#edit} does) edits
 * the whole image, placed in the middle of a square with its edge pixels repeated into the margins, so the subject
 * looks smaller to the model than in a square picture. {@link Fit#CROP} edits only the largest centred square, at the
 * subject's own scale, and leaves the rest of the image exactly as it was: for a subject in the middle of a wide or
 * tall picture (a portrait in a landscape frame) whose editor was trained on square pictures of it.
 */
public final class Framing {

    /** Which part of a non-square image the editor sees. */
    public enum Fit {
        /** The whole image, padded to a square. */
        PAD,
        /** The largest centred square; the rest is left as it was. */
        CROP;

        /** The fit named {@code name} (any case). */
        public static Fit of(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown fit '" + name + "'; known: pad, crop", e);
            }
        }
    }

    private Framing() {}

    /**
     * The image edited by {@code editor} with the given fit; the result has the image's size.
     *
     * @throws IllegalArgumentException as {@link Editor#edit} does (an unknown edit, an unreadable image)
     */
    public static BufferedImage edit(Editor editor, BufferedImage image, String edit, Fit fit) {
        BufferedImage rgb = ImageTensors.toRgb(image);
        BufferedImage seen = seen(rgb, fit);
        BufferedImage edited = ImageTensors.toRgb(editor.edit(ImageFactory.getInstance().fromImage(seen), edit));
        return putBack(rgb, edited, fit);
    }

    /** What the editor is given of {@code image} (8-bit RGB): the image itself, or with CROP its centred square. */
    public static BufferedImage seen(BufferedImage image, Fit fit) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (fit == Fit.PAD || w == h) {
            return image;
        }
        int side = Math.min(w, h);
        BufferedImage square = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        square.setRGB(0, 0, side, side, image.getRGB((w - side) / 2, (h - side) / 2, side, side, null, 0, side), 0, side);
        return square;
    }

    /**
     * The result for {@code image} (8-bit RGB) from the editor's result for {@link #seen}: that result itself, or with
     * CROP the image with its centred square replaced by it.
     */
    public static BufferedImage putBack(BufferedImage image, BufferedImage edited, Fit fit) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (fit == Fit.PAD || w == h) {
            return edited;
        }
        int side = Math.min(w, h);
        if (edited.getWidth() != side || edited.getHeight() != side) {
            throw new IllegalArgumentException("the edited square is " + edited.getWidth() + "x" + edited.getHeight()
                    + ", expected " + side + "x" + side);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, image.getRGB(0, 0, w, h, null, 0, w), 0, w);
        out.setRGB((w - side) / 2, (h - side) / 2, side, side, edited.getRGB(0, 0, side, side, null, 0, side), 0, side);
        return out;
    }
}
