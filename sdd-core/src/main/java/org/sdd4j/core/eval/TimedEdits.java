package org.sdd4j.core.eval;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageTensors;

/**
 * Edited images with their timings: after a warm-up, milliseconds per image at batch 1 (over up to 32
 * single calls) and at batch 32, through the public {@link Editor} API of any backend.
 *
 * @param edited the edited images, in input order
 * @param msBatch1 milliseconds per image, one image per call
 * @param msBatch32 milliseconds per image, 32 images per call
 */
public record TimedEdits(List<BufferedImage> edited, double msBatch1, double msBatch32) {

    /** Applies an edit to every image, in batches of 32, and times it. */
    public static TimedEdits measure(Editor editor, String edit, List<BufferedImage> in) {
        editor.edit(wrap(in.subList(0, Math.min(8, in.size()))), edit); // warm-up
        long t1 = System.nanoTime();
        int single = Math.min(32, in.size());
        for (int i = 0; i < single; i++) {
            editor.edit(wrap(List.of(in.get(i))), edit);
        }
        double ms1 = (System.nanoTime() - t1) / 1e6 / single;
        long t2 = System.nanoTime();
        List<BufferedImage> edited = editAll(editor, edit, in);
        double ms32 = (System.nanoTime() - t2) / 1e6 / in.size();
        return new TimedEdits(edited, ms1, ms32);
    }

    /** Applies an edit to every image, in batches of 32, without timing it. */
    public static List<BufferedImage> editAll(Editor editor, String edit, List<BufferedImage> in) {
        List<BufferedImage> edited = new ArrayList<>(in.size());
        for (int from = 0; from < in.size(); from += 32) {
            for (Image im : editor.edit(wrap(in.subList(from, Math.min(in.size(), from + 32))), edit)) {
                edited.add(ImageTensors.toRgb(im));
            }
        }
        return edited;
    }

    private static List<Image> wrap(List<BufferedImage> images) {
        return images.stream().map(b -> ImageFactory.getInstance().fromImage(b)).toList();
    }
}
