package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.Captions;
import org.sdd4j.core.teacher.TeacherOptions;
import org.sdd4j.core.teacher.TeacherTrainer;
import org.sdd4j.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a text-conditional pixel-space teacher. */
@Command(name = "train-teacher", mixinStandardHelpOptions = true,
        description = {"Train a text-conditional diffusion teacher (U-Net, epsilon prediction, classifier-free"
            + " guidance dropout) on FaceWorld or on a folder of captioned images.",
            "Interrupted runs resume from the last checkpoint in --work."})
final class TrainTeacherCommand implements Callable<Integer> {

    /** The recipe for folder data unless the options say (README, "Your own images"). */
    private static final TeacherOptions FOLDER = TeacherOptions.folderDefaults();
    static final String FOLDER_LR_SCHEDULE = FOLDER.lrSchedule();
    static final double FOLDER_CAPTION_BALANCE = FOLDER.captionBalance();
    static final int FOLDER_STEPS = FOLDER.steps();
    static final int FOLDER_BATCH = FOLDER.batchSize();
    static final float FOLDER_LR = FOLDER.learningRate();

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", required = true, description = {"Teacher folder to write: new, empty, or an earlier"
        + " teacher (switched to the new one atomically; other files there are kept)."})
    Path out;

    @Mixin
    ForceOption force;

    @Option(names = "--work", description = "Work folder: checkpoints, loss curve, samples (default: <out>.work).")
    Path work;

    @Option(names = "--steps", description = "Training steps (default: 6000 for FaceWorld, 2800 for --data:"
            + " about 50 minutes on 2 cores).")
    Integer steps;

    @Option(names = "--batch", description = "Batch size (default: 32 for FaceWorld, 24 for --data).")
    Integer batch;

    @Option(names = "--width", description = "U-Net base channels (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int width;

    @Option(names = "--lr", description = "Learning rate, the peak with --lr-schedule cosine (default: 0.001"
            + " for FaceWorld, 0.0025 for --data).")
    Float lr;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--sample-every", description = "Sample grid period in steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int sampleEvery;

    @Option(names = "--region-weight", description = {"Extra loss weight on the small regions the caption decides"
        + " (FaceWorld: mouth, eyes, glasses); 0 = plain MSE (default: ${DEFAULT-VALUE})."}, defaultValue = "0")
    double regionWeight;

    @Option(names = "--lr-schedule", description = {"Learning-rate schedule: constant, or cosine (warm-up over 5%% of"
        + " the steps, then a cosine decay to a tenth) (default: constant for FaceWorld,"
        + " cosine for --data)."})
    String lrSchedule;

    @Option(names = "--caption-balance", description = {"0 = every image equally often, 1 = every caption equally"
        + " often; between: a caption with n images is drawn in proportion to n^(1 - balance) (default: 0 for"
        + " FaceWorld, 0.5 for --data)."})
    Double captionBalance;

    @Option(names = "--init", description = "Start from this teacher folder's weights (fine-tuning; same architecture).")
    Path init;

    @Option(names = "--sample-prompts", split = "\\|", description = {"Prompts of the sample grids, separated by"
        + " '|' (default: FaceWorld's four acceptance prompts, or the four most frequent captions of --data)."})
    List<String> samplePrompts;

    /** The four most frequent captions of a data source (ties in order of first appearance). */
    static List<String> frequentCaptions(TrainingData data, int n) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            counts.merge(data.caption(i), 1, Integer::sum);
        }
        return counts.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .limit(n).map(java.util.Map.Entry::getKey).toList();
    }

    @Override
    public Integer call() {
        TeacherOptions d = TeacherOptions.defaults();
        boolean folder = !dataOptions.isFaceWorld();
        int steps = this.steps != null ? this.steps : folder ? FOLDER_STEPS : 6000;
        int batch = this.batch != null ? this.batch : folder ? FOLDER_BATCH : 32;
        float lr = this.lr != null ? this.lr : folder ? FOLDER_LR : 0.001f;
        TeacherOptions o = new TeacherOptions(steps, batch, lr, width, d.multipliers(), d.embDim(), d.schedule(),
                d.timesteps(), d.captionDropout(), d.emaDecay(), d.checkpointEvery(), sampleEvery, seed, regionWeight,
                lrSchedule != null ? lrSchedule : dataOptions.isFaceWorld() ? d.lrSchedule() : FOLDER_LR_SCHEDULE,
                captionBalance != null ? captionBalance
                        : dataOptions.isFaceWorld() ? d.captionBalance() : FOLDER_CAPTION_BALANCE);
        TrainingData data = dataOptions.open();
        List<String> vocab = dataOptions.isFaceWorld() ? Captions.vocabulary() : dataOptions.vocabulary(data);
        Path workDir = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
        List<String> prompts = samplePrompts != null && !samplePrompts.isEmpty() ? samplePrompts
                : dataOptions.isFaceWorld()
                        ? List.of("a smiling face", "a frowning face", "a face with blond hair", "a face with glasses")
                        : frequentCaptions(data, 4);
        try (NDManager m = Backends.bestForTraining().newManager(); Progress bar = new Progress("teacher", steps)) {
            new TeacherTrainer(o, data, dataOptions.resolution(), vocab, workDir, prompts, bar).startingFrom(init).force(force.force)
                    .train(out, m);
        }
        System.out.println("teacher written to " + out + " (work folder: " + workDir + ")");
        return 0;
    }
}
