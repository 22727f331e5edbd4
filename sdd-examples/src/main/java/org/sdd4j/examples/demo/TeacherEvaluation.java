package org.sdd4j.examples.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.oracle.Oracle;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.teacher.DdimSampler;

/** Does the teacher draw what it is asked for? Guided samples per prompt, judged by the oracle. */
public final class TeacherEvaluation {

    private TeacherEvaluation() {}

    /**
     * A prompt and the oracle class it asks for.
     *
     * @param prompt the prompt
     * @param head the oracle head
     * @param expected the expected class
     */
    public record Check(String prompt, int head, int expected) {}

    /** The prompts of the acceptance test. */
    public static final List<Check> CHECKS = List.of(
            new Check("a smiling face", 0, FaceAttributes.Mouth.SMILING.ordinal()),
            new Check("a frowning face", 0, FaceAttributes.Mouth.FROWNING.ordinal()),
            new Check("a face with blond hair", 1, FaceAttributes.Hair.BLOND.ordinal()),
            new Check("a face with glasses", 2, 1));

    /**
     * One row of the result.
     *
     * @param check the prompt
     * @param samples samples drawn
     * @param agreement fraction the oracle judged as asked
     */
    public record Row(Check check, int samples, double agreement) {}

    /** Samples {@code n} images per prompt and judges them; writes a grid of the first 16 per prompt. */
    public static List<Row> run(DiffusionTeacher teacher, Oracle oracle, int n, int steps, float cfg, NDManager m,
            Path gridDir) {
        List<Row> rows = new ArrayList<>();
        int p = 0;
        for (Check c : CHECKS) {
            List<BufferedImage> imgs = new ArrayList<>();
            try (NDManager sm = m.newSubManager(); Conditioning cond = teacher.encode(c.prompt(), sm)) {
                for (int from = 0; from < n; from += 100) {
                    try (NDManager b = sm.newSubManager()) {
                        NDArray x = DdimSampler.sample(teacher, cond, Math.min(100, n - from), steps, cfg,
                                10_000L * p + from, b);
                        imgs.addAll(ImageTensors.toImages(x));
                    }
                }
            }
            int ok = 0;
            for (Oracle.Judgement j : oracle.judge(imgs)) {
                ok += j.predicted(c.head()) == c.expected() ? 1 : 0;
            }
            rows.add(new Row(c, n, ok / (double) n));
            if (gridDir != null) {
                Grids.write(gridDir.resolve("samples-" + c.prompt().replace(' ', '-') + ".png"),
                        imgs.subList(0, Math.min(16, imgs.size())), 8, 3);
            }
            p++;
        }
        return rows;
    }
}
