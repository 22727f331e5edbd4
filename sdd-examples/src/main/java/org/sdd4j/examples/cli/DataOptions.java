package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.CaptionedFolder;
import org.sdd4j.core.data.FaceWorld;
import picocli.CommandLine.Option;

/** The data-source options shared by the training commands. */
final class DataOptions {

    @Option(names = "--data", description = "Training data: 'faceworld' (default) or a CSV/JSONL file of"
        + " file,caption rows (paths relative to the file).", defaultValue = "faceworld")
    String data;

    @Option(names = "--resolution", description = "Image resolution (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int resolution;

    @Option(names = "--data-seed", description = "FaceWorld seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long dataSeed;

    @Option(names = "--data-size", description = "FaceWorld size (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000000")
    int dataSize;

    @Option(names = "--allow-outside-paths", description = "Let the --data list name files outside its own folder"
            + " (refused by default).")
    boolean allowOutside;

    boolean isFaceWorld() {
        return data.equalsIgnoreCase("faceworld");
    }

    int resolution() {
        return resolution;
    }

    TrainingData open() {
        return open(resolution);
    }

    /** The data with FaceWorld rendered at {@code size} px (a folder's images keep their own size). */
    TrainingData open(int size) {
        if (isFaceWorld()) {
            return new FaceWorld(dataSeed, dataSize, size);
        }
        return CaptionedFolder.open(Path.of(data), allowOutside);
    }

    /** A model's training images and the held-out images it is measured on. */
    record Split(TrainingData train, TrainingData heldOut) {}

    /**
     * The data at {@code size} px, split for a model trained on images alone (prior, upsampler): for FaceWorld the
     * data and 1,000 faces of another world (777), for a folder the list without every fifth image and those
     * images (the caption judge of evaluate-teacher --data holds out the same ones).
     */
    Split trainAndHeldOut(int size) {
        TrainingData all = open(size);
        return isFaceWorld() ? new Split(all, new FaceWorld(777, 1000, size))
                : new Split(org.sdd4j.core.data.HeldOutSplit.training(all), org.sdd4j.core.data.HeldOutSplit.heldOut(all));
    }

    /** The first n images of a data source (the sample images of an HQS search). */
    static List<ai.djl.modality.cv.Image> samples(TrainingData d, int n) {
        List<ai.djl.modality.cv.Image> out = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(n, d.size()); i++) {
            out.add(d.get(i).image());
        }
        return out;
    }

    List<String> vocabulary(TrainingData d) {
        return CaptionedFolder.vocabulary(d);
    }
}
