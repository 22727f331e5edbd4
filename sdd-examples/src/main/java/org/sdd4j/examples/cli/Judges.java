package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.eval.CaptionJudge;

/** The caption judge as evaluate-teacher and evaluate-edit train it (same seed: the same judge). */
final class Judges {

    private Judges() {}

    static CaptionJudge train(TrainingData data, int steps, NDManager m) {
        CaptionJudge.Options d = CaptionJudge.Options.defaults();
        CaptionJudge.Options o = new CaptionJudge.Options(d.maxClasses(), d.minImages(), steps, d.batchSize(),
                d.resolution(), d.seed());
        CaptionJudge judge;
        try (Progress bar = new Progress("caption judge", steps)) {
            judge = CaptionJudge.train(data, o, m, bar);
        }
        System.out.printf("caption judge: %d captions, trained on %d images, held-out accuracy %.1f%% on %d images"
                + " it never saw%n", judge.classes().size(), judge.trainImages(), 100 * judge.heldOutAccuracy(),
                judge.heldOutImages());
        return judge;
    }
}
