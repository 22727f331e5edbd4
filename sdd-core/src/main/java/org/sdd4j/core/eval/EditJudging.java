package org.sdd4j.core.eval;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;

/**
 * Does an edit between two captions work on the user's data? The held-out images of the source caption
 * (never seen by the judge) are edited, and the caption judge says how many now show the target caption.
 */
public final class EditJudging {

    private EditJudging() {}

    /**
     * The result.
     *
     * @param images held-out source images edited
     * @param targetBefore share judged as the target caption before the edit
     * @param targetAfter share judged as the target caption after the edit (the success rate)
     * @param sourceAfter share still judged as the source caption after the edit
     */
    public record Result(int images, double targetBefore, double targetAfter, double sourceAfter) {}

    /**
     * Edits the judge's held-out images of {@code source} and judges them.
     *
     * @throws IllegalArgumentException if the judge does not know either caption or holds out none of the source
     */
    public static Result run(Editor editor, String edit, CaptionJudge judge, TrainingData data, String source,
            String target, int max) {
        int s = judge.classes().indexOf(source);
        int t = judge.classes().indexOf(target);
        if (s < 0 || t < 0) {
            throw new IllegalArgumentException("the judge knows the captions " + judge.classes() + "; \""
                    + (s < 0 ? source : target) + "\" is not one of them");
        }
        List<Image> in = heldOut(judge, data, source, max);
        if (in.isEmpty()) {
            throw new IllegalArgumentException("no held-out image has the caption \"" + source + "\"");
        }
        List<BufferedImage> before = in.stream().map(ImageTensors::toRgb).toList();
        List<BufferedImage> after = new ArrayList<>();
        for (int from = 0; from < in.size(); from += 64) {
            for (Image e : editor.edit(in.subList(from, Math.min(in.size(), from + 64)), edit)) {
                after.add(ImageTensors.toRgb(e));
            }
        }
        List<Integer> pb = judge.predict(before);
        List<Integer> pa = judge.predict(after);
        return new Result(in.size(), share(pb, t), share(pa, t), share(pa, s));
    }

    /** The judge's held-out images with this caption, in data order, at most {@code max}. */
    public static List<Image> heldOut(CaptionJudge judge, TrainingData data, String caption, int max) {
        List<Image> in = new ArrayList<>();
        for (int i : CaptionJudge.split(data, judge.classes()).heldOut()) {
            if (data.caption(i).equals(caption) && in.size() < max) {
                in.add(data.get(i).image());
            }
        }
        return in;
    }

    private static double share(List<Integer> predicted, int c) {
        return predicted.stream().filter(p -> p == c).count() / (double) predicted.size();
    }
}
