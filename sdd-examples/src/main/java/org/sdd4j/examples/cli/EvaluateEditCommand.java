package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TrainingData;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.core.data.CaptionedFolder;
import org.sdd4j.core.eval.CaptionJudge;
import org.sdd4j.core.eval.EditJudging;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** An edit between two captions of the user's data, judged on held-out images of the source caption. */
@Command(name = "evaluate-edit", mixinStandardHelpOptions = true,
        description = {"Train the caption judge on --data (as evaluate-teacher --data does: every fifth image held"
            + " out), edit the held-out images of --source-caption and report how many the judge now assigns to"
            + " --target-caption (before and after)."})
final class EvaluateEditCommand implements Callable<Integer> {

    @Option(names = "--editor", required = true, description = "Editor bundle.")
    Path editor;

    @Option(names = "--edit", required = true, description = "The edit.")
    String edit;

    @Option(names = "--data", required = true, description = "The CSV/JSONL list of captioned images.")
    Path data;

    @Option(names = "--source-caption", required = true, description = "Caption of the images to edit.")
    String source;

    @Option(names = "--target-caption", required = true, description = "Caption the edit should produce.")
    String target;

    @Option(names = "--images", description = "Held-out images to edit at most (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int images;

    @Option(names = "--judge-steps", description = "Training steps of the caption judge (default: ${DEFAULT-VALUE}).",
            defaultValue = "800")
    int judgeSteps;

    @Option(names = "--allow-outside-paths", description = "Let the --data list name files outside its own folder.")
    boolean allowOutside;

    @Option(names = "--grid", description = "Write a picture of 8 held-out inputs (top) and their edits (bottom).")
    Path grid;

    @picocli.CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        TrainingData d = CaptionedFolder.open(data, allowOutside);
        SddBackend backend = Backends.bestForTraining();
        if (grid != null) {
            overwrite.check(grid);
        }
        try (NDManager m = backend.newManager(); Editor e = Editor.load(editor);
                CaptionJudge judge = Judges.train(d, judgeSteps, m)) {
            EditJudging.Result r = EditJudging.run(e, edit, judge, d, source, target, images);
            System.out.printf("edit '%s' on %d held-out \"%s\" images: judged \"%s\" %.1f%% before, %.1f%% after"
                    + " (still \"%s\": %.1f%%)%n", edit, r.images(), source, target, 100 * r.targetBefore(),
                    100 * r.targetAfter(), source, 100 * r.sourceAfter());
            if (grid != null) {
                java.util.List<ai.djl.modality.cv.Image> in = EditJudging.heldOut(judge, d, source, 8);
                java.util.List<java.awt.image.BufferedImage> cells = new java.util.ArrayList<>();
                in.forEach(im -> cells.add(org.sdd4j.core.data.ImageTensors.toRgb(im)));
                e.edit(in, edit).forEach(im -> cells.add(org.sdd4j.core.data.ImageTensors.toRgb(im)));
                org.sdd4j.core.report.Grids.write(grid, cells, in.size(), 3);
                System.out.println("wrote " + grid);
            }
        }
        return 0;
    }
}
