package org.sdd4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.teacher.DdimSampler;

/** Does a teacher draw its captions? Guided samples per caption, judged by a {@link CaptionJudge}. */
public final class TeacherJudging {

    private TeacherJudging() {}

    /**
     * One caption's result.
     *
     * @param caption the prompt (a caption of the data)
     * @param samples guided samples drawn
     * @param agreement share of samples the judge assigns to this caption
     * @param frechet Frechet distance between the samples' and the caption's real images' judge features
     * @param realImages real images of the caption compared
     */
    public record Row(String caption, int samples, double agreement, double frechet, int realImages) {}

    /**
     * Samples each of the judge's captions and judges the samples.
     *
     * @param teacher the teacher
     * @param judge the judge trained on the data
     * @param data the captioned data (the real images of each caption)
     * @param samples guided samples per caption
     * @param steps DDIM steps
     * @param cfg guidance scale
     * @param m manager for the computation
     * @return one row per caption, most frequent first
     */
    public static List<Row> run(DiffusionTeacher teacher, CaptionJudge judge, TrainingData data, int samples, int steps,
            float cfg, NDManager m) {
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < judge.classes().size(); c++) {
            String caption = judge.classes().get(c);
            List<BufferedImage> drawn = new ArrayList<>();
            for (int from = 0; from < samples; from += 50) {
                int n = Math.min(50, samples - from);
                try (NDManager s = m.newSubManager(); Conditioning cond = teacher.encode(caption, s)) {
                    NDArray x = DdimSampler.sample(teacher, cond, n, steps, cfg, 7_000L * (c + 1) + from, s);
                    drawn.addAll(ImageTensors.toImages(x));
                }
            }
            int agree = 0;
            for (int p : judge.predict(drawn)) {
                agree += p == c ? 1 : 0;
            }
            List<BufferedImage> real = new ArrayList<>();
            for (int i = 0; i < data.size() && real.size() < 2000; i++) {
                if (data.caption(i).equals(caption)) {
                    real.add(ImageTensors.toRgb(data.get(i).image()));
                }
            }
            double fd = real.size() >= 2 && drawn.size() >= 2
                    ? FrechetDistance.between(judge.features(drawn), judge.features(real)) : Double.NaN;
            rows.add(new Row(caption, drawn.size(), agree / (double) drawn.size(), fd, real.size()));
        }
        return rows;
    }
}
