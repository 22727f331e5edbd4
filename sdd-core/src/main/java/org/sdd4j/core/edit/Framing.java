package org.sdd4j.core.edit;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageFiles;
import org.sdd4j.core.data.ImageTensors;

/**
 * How an image that is not square meets an editor's square model. {@link Fit#PAD} (what {@link Editor#edit} does) edits
 * the whole image, placed in the middle of a square with its edge pixels repeated into the margins, so the subject
 * looks smaller to the model than in a square picture. {@link Fit#CROP} edits only the largest centred square, at the
 * subject's own scale, and leaves the rest of the image exactly as it was: for a subject in the middle of a wide or
 * tall picture (a portrait in a landscape frame) whose editor was trained on square pictures of it. A {@link Square}
 * edits the square a subject fills anywhere in a picture (a face a detector found, a face smaller than the picture),
 * at the scale the model was trained on, and also leaves the rest as it was.
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

    /**
     * A square of an image to edit, in the image's pixels: its top-left corner and side. It may reach beyond the image:
     * the editor then sees the image's edge pixels repeated into it, and what lies outside the image is dropped when
     * the edit is put back.
     *
     * @param x the left column (may be negative)
     * @param y the top row (may be negative)
     * @param side the side, at least 1
     */
    public record Square(int x, int y, int side) {

        /** Checks the side. */
        public Square {
            if (side < 1) {
                throw new IllegalArgumentException("a square to edit needs a side of at least 1 pixel, got " + side);
            }
        }

        /**
         * The square round a subject's box: the box's longer side, centred on the box (a box from a face detector,
         * or drawn by hand, with the margin round the subject that the training pictures have).
         *
         * @throws IllegalArgumentException if the box has no pixels
         */
        public static Square around(int x, int y, int width, int height) {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("a subject's box needs a width and height of at least 1 pixel, got "
                        + width + "x" + height);
            }
            int side = Math.max(width, height);
            return new Square(x + (width - side) / 2, y + (height - side) / 2, side);
        }

        /**
         * The square round the box written {@code "x,y,width,height"} (pixels, as {@code sdd edit --region} takes it).
         *
         * @throws IllegalArgumentException saying what is wrong with the text
         */
        public static Square parse(String box) {
            String[] parts = box.split(",", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("a region is x,y,width,height in pixels (e.g. 120,40,256,256), got '"
                        + box + "'");
            }
            int[] v = new int[4];
            for (int i = 0; i < 4; i++) {
                try {
                    v[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a region is x,y,width,height in whole pixels, got '" + box
                            + "'", e);
                }
            }
            return around(v[0], v[1], v[2], v[3]);
        }

        /**
         * The squares round the boxes written {@code "x,y,width,height;x,y,width,height;..."} (one or more, as a Spark
         * column may hold them for the subjects of one picture).
         *
         * @throws IllegalArgumentException saying what is wrong with the text
         */
        public static List<Square> parseAll(String boxes) {
            List<Square> out = new java.util.ArrayList<>();
            for (String box : boxes.split(";", -1)) {
                out.add(parse(box));
            }
            return out;
        }

        /** The largest square in the middle of a {@code width} x {@code height} image ({@link Fit#CROP}'s). */
        public static Square centred(int width, int height) {
            int side = Math.min(width, height);
            return new Square((width - side) / 2, (height - side) / 2, side);
        }

        /** Whether the square shares at least one pixel with a {@code width} x {@code height} image. */
        boolean meets(int width, int height) {
            return x < width && y < height && (long) x + side > 0 && (long) y + side > 0;
        }

        @Override
        public String toString() {
            return side + "x" + side + " at " + x + "," + y;
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

    /**
     * The image with {@code square} edited by {@code editor} and the rest left exactly as it was; the result has the
     * image's size.
     *
     * @throws IllegalArgumentException if the square lies wholly outside the image, or as {@link Editor#edit} does
     */
    public static BufferedImage edit(Editor editor, BufferedImage image, String edit, Square square) {
        return edit(editor, image, edit, List.of(square));
    }

    /**
     * The image with each of {@code squares} edited by {@code editor} (in one call) and the rest left exactly as it
     * was: several subjects in one picture (the faces of a group photo). Each square is edited from the image as it
     * was, and the edits are put back in the order given, so where two squares overlap the later one's edit shows.
     *
     * @throws IllegalArgumentException if there are no squares, a square lies wholly outside the image, or as
     *     {@link Editor#edit} does
     */
    public static BufferedImage edit(Editor editor, BufferedImage image, String edit, List<Square> squares) {
        if (squares.isEmpty()) {
            throw new IllegalArgumentException("name at least one square to edit");
        }
        BufferedImage rgb = ImageTensors.toRgb(image);
        List<Image> seen = squares.stream().map(q -> ImageFactory.getInstance().fromImage(seen(rgb, q))).toList();
        List<Image> edited = editor.edit(seen, edit);
        BufferedImage out = rgb;
        for (int i = 0; i < squares.size(); i++) {
            out = putBack(out, ImageTensors.toRgb(edited.get(i)), squares.get(i));
        }
        return out;
    }

    /** What the editor is given of {@code image} (8-bit RGB): the image itself, or with CROP its centred square. */
    public static BufferedImage seen(BufferedImage image, Fit fit) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (fit == Fit.PAD || w == h) {
            return image;
        }
        return seen(image, Square.centred(w, h));
    }

    /**
     * What the editor is given of {@code image} (8-bit RGB) for {@code square}: its pixels, with the image's edge
     * pixels repeated where it reaches beyond the image.
     *
     * @throws IllegalArgumentException if the square lies wholly outside the image or is larger than the library
     *     edits ({@link ImageFiles#checkSize})
     */
    public static BufferedImage seen(BufferedImage image, Square square) {
        int w = image.getWidth();
        int h = image.getHeight();
        requireMeets(square, w, h);
        int side = square.side();
        ImageFiles.checkSize(side, side, "the square to edit (" + square + ")");
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        if (square.x() >= 0 && square.y() >= 0 && square.x() + side <= w && square.y() + side <= h) {
            out.setRGB(0, 0, side, side, image.getRGB(square.x(), square.y(), side, side, null, 0, side), 0, side);
            return out;
        }
        int[] row = new int[side];
        for (int y = 0; y < side; y++) {
            int sy = Math.min(h - 1, Math.max(0, square.y() + y));
            for (int x = 0; x < side; x++) {
                row[x] = image.getRGB(Math.min(w - 1, Math.max(0, square.x() + x)), sy);
            }
            out.setRGB(0, y, side, 1, row, 0, side);
        }
        return out;
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
        return putBack(image, edited, Square.centred(w, h));
    }

    /**
     * The result for {@code image} (8-bit RGB) from the editor's result for {@link #seen(BufferedImage, Square)}: the
     * image with the part of the square that lies in it replaced by the edit.
     */
    public static BufferedImage putBack(BufferedImage image, BufferedImage edited, Square square) {
        int w = image.getWidth();
        int h = image.getHeight();
        requireMeets(square, w, h);
        int side = square.side();
        if (edited.getWidth() != side || edited.getHeight() != side) {
            throw new IllegalArgumentException("the edited square is " + edited.getWidth() + "x" + edited.getHeight()
                    + ", expected " + side + "x" + side);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, image.getRGB(0, 0, w, h, null, 0, w), 0, w);
        int x0 = Math.max(0, square.x());
        int y0 = Math.max(0, square.y());
        int x1 = (int) Math.min(w, (long) square.x() + side);
        int y1 = (int) Math.min(h, (long) square.y() + side);
        out.setRGB(x0, y0, x1 - x0, y1 - y0,
                edited.getRGB(x0 - square.x(), y0 - square.y(), x1 - x0, y1 - y0, null, 0, x1 - x0), 0, x1 - x0);
        return out;
    }

    private static void requireMeets(Square square, int w, int h) {
        if (!square.meets(w, h)) {
            throw new IllegalArgumentException("the square to edit (" + square + ") lies outside the " + w + "x" + h
                    + " image");
        }
    }
}
