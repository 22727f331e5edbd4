package org.sdd4j.core.eval;

import java.awt.image.BufferedImage;
import java.util.List;
import org.sdd4j.core.oracle.Oracle;

/**
 * What an edit does to faces that already show its target ("smiling" on a smiling face): a user editing a batch
 * expects them back as they were. Mean PSNR of the edit to the input (capped at 99 dB, as {@link EditMetrics#psnr}),
 * the share of faces changed visibly (PSNR below {@value #CHANGED_BELOW_DB} dB) and the share the oracle still
 * judges to show the target.
 *
 * @param count faces
 * @param psnrToInput mean PSNR of the edits to their inputs, dB
 * @param changed share of faces whose edit is below {@value #CHANGED_BELOW_DB} dB from the input
 * @param stillTarget share of edits the oracle judges to show the target
 */
public record AlreadyShown(int count, double psnrToInput, double changed, double stillTarget) {

    /** Below this PSNR to the input a face counts as changed. */
    public static final double CHANGED_BELOW_DB = 30;

    /**
     * Measures edits of faces that already show the target.
     *
     * @param oracle judges whether the edits still show the target
     * @param edit the edit
     * @param inputs the faces (each already showing the target)
     * @param edited their edits, same sizes
     */
    public static AlreadyShown measure(Oracle oracle, EditTarget edit, List<BufferedImage> inputs,
            List<BufferedImage> edited) {
        boolean[] target = new boolean[edited.size()];
        List<Oracle.Judgement> j = oracle.judge(edited);
        for (int i = 0; i < target.length; i++) {
            target[i] = j.get(i).predicted(edit.head()) == edit.targetClass();
        }
        return of(inputs, edited, target);
    }

    /** The measurement from the images and whether each edit still shows the target. */
    static AlreadyShown of(List<BufferedImage> inputs, List<BufferedImage> edited, boolean[] stillTarget) {
        int n = inputs.size();
        if (n == 0 || edited.size() != n || stillTarget.length != n) {
            throw new IllegalArgumentException(n + " inputs, " + edited.size() + " edits and " + stillTarget.length
                    + " judgements: they must match and not be empty");
        }
        double psnr = 0;
        int changed = 0;
        int target = 0;
        for (int i = 0; i < n; i++) {
            double p = EditMetrics.psnr(inputs.get(i), edited.get(i), null);
            psnr += p;
            changed += p < CHANGED_BELOW_DB ? 1 : 0;
            target += stillTarget[i] ? 1 : 0;
        }
        return new AlreadyShown(n, psnr / n, changed / (double) n, target / (double) n);
    }
}
