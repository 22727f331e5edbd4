package org.sdd4j.core.eval;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.oracle.Oracle;

/**
 * Edit quality on held-out faces, judged by the oracle: success (the target head shows the target
 * class), preservation (every other head still shows the face's true class), and PSNR outside the
 * region the edit may change.
 *
 * @param count faces measured
 * @param success fraction edited successfully
 * @param preservation fraction whose other attributes all survived
 * @param perAttributePreservation fraction per non-target head, in head order (NaN for the target)
 * @param psnrOutside mean PSNR (dB) over faces, outside the edit region, on 8-bit values
 * @param targetScore mean oracle probability of the target class after the edit
 * @param targetScoreBefore mean oracle probability of the target class before the edit
 * @param successBySource success among the faces of each original class of the edited attribute (for
 *     "blond hair": black, brown, red and grey hair), by class name in class order, with the face count; where
 *     an edit fails shows here first
 */
public record EditMetrics(int count, double success, double preservation, double[] perAttributePreservation,
        double psnrOutside, double targetScore, double targetScoreBefore, Map<String, Share> successBySource) {

    /** A share of faces: {@code hits} of {@code count}. */
    public record Share(int hits, int count) {
        /** hits / count. */
        public double fraction() {
            return count == 0 ? Double.NaN : hits / (double) count;
        }
    }

    /** "black 100.0% (59), grey 28.2% (39)": the breakdown by original class, for logs and reports. */
    public String successBySourceText() {
        StringBuilder b = new StringBuilder();
        successBySource.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(String.format(
                java.util.Locale.ROOT, "%s %.1f%% (%d)", k, 100 * v.fraction(), v.count())));
        return b.toString();
    }

    /** Measures edited images against their originals. */
    public static EditMetrics measure(Oracle oracle, EditTarget edit, List<Face> originals, List<BufferedImage> edited) {
        if (originals.size() != edited.size() || originals.isEmpty()) {
            throw new IllegalArgumentException("need as many edited images as originals (and at least one)");
        }
        List<Oracle.Judgement> after = oracle.judge(edited);
        List<Oracle.Judgement> before = oracle.judge(originals.stream().map(Face::image).toList());
        int heads = FaceAttributes.HEADS.size();
        int ok = 0;
        int kept = 0;
        int[] keptPerHead = new int[heads];
        double psnr = 0;
        double score = 0;
        double scoreBefore = 0;
        int[][] bySource = new int[FaceAttributes.CLASSES[edit.head()]][2];
        for (int i = 0; i < originals.size(); i++) {
            Face f = originals.get(i);
            Oracle.Judgement j = after.get(i);
            boolean success = j.predicted(edit.head()) == edit.targetClass();
            ok += success ? 1 : 0;
            int source = f.attributes().labels()[edit.head()];
            bySource[source][0] += success ? 1 : 0;
            bySource[source][1]++;
            score += j.probabilities()[edit.head()][edit.targetClass()];
            scoreBefore += before.get(i).probabilities()[edit.head()][edit.targetClass()];
            boolean all = true;
            int[] labels = f.attributes().labels();
            for (int h = 0; h < heads; h++) {
                if (h == edit.head()) {
                    continue;
                }
                boolean same = j.predicted(h) == labels[h];
                keptPerHead[h] += same ? 1 : 0;
                all &= same;
            }
            kept += all ? 1 : 0;
            psnr += psnr(f.image(), edited.get(i), edit.regionOf(f));
        }
        int n = originals.size();
        double[] per = new double[heads];
        for (int h = 0; h < heads; h++) {
            per[h] = h == edit.head() ? Double.NaN : keptPerHead[h] / (double) n;
        }
        Map<String, Share> shares = new LinkedHashMap<>();
        for (int c = 0; c < bySource.length; c++) {
            if (bySource[c][1] > 0) {
                shares.put(FaceAttributes.className(edit.head(), c), new Share(bySource[c][0], bySource[c][1]));
            }
        }
        return new EditMetrics(n, ok / (double) n, kept / (double) n, per, psnr / n, score / n, scoreBefore / n,
                Collections.unmodifiableMap(shares));
    }

    /**
     * PSNR over the pixels where {@code exclude} is false (all three channels, peak 255); 99 dB when they
     * are identical there.
     */
    public static double psnr(BufferedImage a, BufferedImage b, boolean[] exclude) {
        int w = a.getWidth();
        int h = a.getHeight();
        if (b.getWidth() != w || b.getHeight() != h) {
            throw new IllegalArgumentException("images differ in size: " + w + "x" + h + " vs " + b.getWidth() + "x"
                    + b.getHeight());
        }
        int[] pa = org.sdd4j.core.data.ImageTensors.pixels(a);
        int[] pb = org.sdd4j.core.data.ImageTensors.pixels(b);
        double se = 0;
        long count = 0;
        for (int i = 0; i < pa.length; i++) {
            if (exclude != null && exclude[i]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                int d = ((pa[i] >> (8 * c)) & 0xFF) - ((pb[i] >> (8 * c)) & 0xFF);
                se += d * d;
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the mask excludes every pixel");
        }
        double mse = se / count;
        return mse == 0 ? 99.0 : Math.min(99.0, 10 * Math.log10(255.0 * 255.0 / mse));
    }
}
