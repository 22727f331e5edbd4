package org.sdd4j.examples.cli;

import org.sdd4j.api.DistillOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The distillation options shared by `distill`, `demo` and `evaluate`; defaults come from {@link DistillOptions#defaults()}. */
final class DistillOptionsMixin {

    private static final DistillOptions DEFAULTS = DistillOptions.defaults();

    @Option(names = "--steps", description = "Distillation steps per edit (default: ${DEFAULT-VALUE}).")
    int steps = DEFAULTS.steps();

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batchSize();

    @Option(names = "--lr", description = "AdamW learning rate (default: ${DEFAULT-VALUE}, paper code).")
    float lr = DEFAULTS.learningRate();

    @Option(names = "--pixel-weight", description = "Pixel L2 weight (default: ${DEFAULT-VALUE}).")
    float pixelWeight = DEFAULTS.pixelWeight();

    @Option(names = "--identity-weight", description = "Identity feature weight (default: ${DEFAULT-VALUE}).")
    float identityWeight = DEFAULTS.identityWeight();

    @Option(names = "--sparsity-weight", description = "Weight of the summed absolute change |y' - y| per image:"
            + " pixels the guidance barely asks to move stay unchanged (default: ${DEFAULT-VALUE}, off).")
    float sparsityWeight = DEFAULTS.sparsityWeight();

    @Option(names = "--mask-weight", description = "Area cost of the mask of the masked manipulators: where the"
            + " edit is not needed the mask closes and the image stays unchanged (default: "
            + DistillOptions.DEFAULT_MASK_WEIGHT + "; 0 = off).")
    Float maskWeight;

    @Option(names = "--mask-gain", description = "How far the mask of the masked manipulators opens when editing"
            + " (not in training): min(1, gain x mask), recorded with the edit. Above 1 for large recolours, whose mask"
            + " the area cost leaves half open (1.5 for FaceWorld \"blond hair\", README) (default: ${DEFAULT-VALUE}).")
    float maskGain = DEFAULTS.maskGain();

    @Option(names = "--mask-floor", description = "The part of the masked manipulators' mask closed when editing (not"
            + " in training), before --mask-gain opens the rest: min(1, gain x max(0, mask - floor) / (1 - floor)),"
            + " recorded with the edit; a refinement trains the edit with it. Cuts the mask's soft tail, which lets a"
            + " large recolour spread a glow beyond the region (0.1 for FaceWorld \"blond hair\", README) (default:"
            + " ${DEFAULT-VALUE}).")
    float maskFloor = DEFAULTS.maskFloor();

    @Option(names = "--ema", description = "Store a moving average of the manipulator's weights with this decay"
            + " instead of the last step's (0 = off). With its warm-up, min(decay, (1 + n) / (10 + n)) at step n, every decay"
            + " from 0.97 up averages mostly the last 50 of 300 steps; 0.95 weighs mostly the last 20; the smiling recipe uses 0.95 (README)"
            + " (default: ${DEFAULT-VALUE}).")
    float ema = DEFAULTS.emaDecay();

    @Option(names = "--keep-captions", description = "Training images whose caption matches this regular expression"
            + " (case-insensitive) already show the target: no guidance, only the losses that keep them as they are,"
            + " so the edit learns to leave such images alone (FaceWorld \"smiling\": 'smiling|happy'; default: none).")
    String keepCaptions = DEFAULTS.keepCaptions();

    @Option(names = "--critic-weight", description = "Weight of a realism term learned from the data (0 = off): a small"
            + " critic is trained alongside the edit to tell the training images --keep-captions matches from the edits,"
            + " and the edit is pushed toward what it takes for the data's (the smiling recipe uses 100: a thinner smile,"
            + " closer to the genuine one; needs --keep-captions; adds 300 warm-up steps; default: ${DEFAULT-VALUE}).")
    float criticWeight = DEFAULTS.criticWeight();

    @Option(names = "--refine-steps", description = "Steps of the refinement phase after the guided steps (0 = off): the"
            + " teacher redraws the edits of --refine-images training images with a short SDEdit run from the edit (only"
            + " where the edit changed the image) and the edit is trained toward those redrawn edits, which have the data's"
            + " colours and strokes instead of score distillation's over-saturated ones (editing stays one forward pass;"
            + " default: ${DEFAULT-VALUE}).")
    int refineSteps = DEFAULTS.refinement().steps();

    @Option(names = "--refine-strength", description = "SDEdit strength of the refinement: the edit is noised to"
            + " t = s T and denoised (default: ${DEFAULT-VALUE}).")
    double refineStrength = DEFAULTS.refinement().strength();

    @Option(names = "--refine-guidance", description = "Classifier-free guidance scale of the refinement's redrawing"
            + " (default: ${DEFAULT-VALUE}).")
    float refineGuidance = DEFAULTS.refinement().guidance();

    @Option(names = "--refine-images", description = "Training images whose edits the refinement redraws, once a round"
            + " (default: ${DEFAULT-VALUE}).")
    int refineImages = DEFAULTS.refinement().images();

    @Option(names = "--refine-guided-weight", description = "Weight of the guided steps' loss kept during the"
            + " refinement, the run's critic included and no longer trained (0 = the refinement trains toward the redrawn"
            + " edits alone): keeps an edit the redrawing would fade (the smiling recipe uses 0.1; default:"
            + " ${DEFAULT-VALUE}).")
    float refineGuidedWeight = DEFAULTS.refinement().guidedWeight();

    @Option(names = "--refine-rounds", description = "How many times the refinement runs: each round redraws the edits"
            + " as the edit then makes them and trains --refine-steps steps toward those (default: ${DEFAULT-VALUE}).")
    int refineRounds = DEFAULTS.refinement().rounds();

    @Mixin
    GuidanceMixin guidance;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(names = "--working-resolution", description = "Size the manipulator edits at, dividing the teacher's image"
            + " size; its output is upsampled before the teacher sees it (default: the teacher's image size up to 128 px, else its"
            + " largest divisor up to 128).")
    int workingResolution = DEFAULTS.workingResolution();

    @Option(names = "--manipulator", description = "Manipulator architecture: masked-unet (pixels, with a predicted"
            + " mask of where it edits, see --mask-weight), recolor-unet (a mask and one colour map per image: it can only"
            + " recolour a region), residual-unet (pixels), ae-latent (edits in the latent space"
            + " of an autoencoder prior, --prior) or masked-ae-latent (the same behind a mask) (default:"
            + " ${DEFAULT-VALUE}).")
    String manipulator = DEFAULTS.manipulator();

    @Option(names = "--prior", description = "The autoencoder folder of the ae-latent manipulators (sdd train-prior), or"
            + " 'embedded' for the FaceWorld prior shipped in this jar.")
    String prior = DEFAULTS.prior();

    @Option(names = "--put-back", description = "How the edit is put back onto images larger than the model's resolution,"
            + " recorded in the bundle: BLEND (the upsampled edit replaces the region it changed; for edits that change"
            + " shapes) or EDGE_AWARE (upsampled along the original's edges, which stay sharp, leaving faint spill"
            + " behind; for edits that recolour a region, such as a hair colour) or LEARNED (the edit carried to full size by a learned upsampler, --upsampler,"
            + " stored with the edit: sharp new content) (default: ${DEFAULT-VALUE}).")
    org.sdd4j.api.PutBack putBack = DEFAULTS.putBack();

    @Option(names = "--upsampler", description = "The guided upsampler folder put-back LEARNED stores with the edit"
            + " (sdd train-upsampler), or 'embedded' for the FaceWorld upsampler shipped in this jar"
            + " ('embedded-smiling': the one fine-tuned to FaceWorld's smiling recipe).")
    String upsampler = DEFAULTS.upsampler();

    private static String embedded(String value, String name) {
        return "embedded".equals(value) ? org.sdd4j.examples.EmbeddedModels.folder(name).toString() : value;
    }

    private String prior() {
        return embedded(prior, org.sdd4j.examples.EmbeddedModels.PRIOR);
    }

    private float maskWeight() {
        // an unknown architecture is refused here, before any search or training starts
        boolean predictsMask = org.sdd4j.core.manipulator.ResidualManipulator.create(manipulator, 4).predictsMask();
        if (maskFloor != 0f && !predictsMask) {
            throw new IllegalArgumentException("--mask-floor needs a manipulator that predicts a mask (masked-unet,"
                    + " recolor-unet or masked-ae-latent); " + manipulator + " has none");
        }
        if (maskGain != 1f && !predictsMask) {
            throw new IllegalArgumentException("--mask-gain needs a manipulator that predicts a mask (masked-unet,"
                    + " recolor-unet or masked-ae-latent); " + manipulator + " has none");
        }
        if (maskWeight == null) {
            return DEFAULTS.maskWeight();
        }
        if (maskWeight > 0 && !predictsMask) {
            throw new IllegalArgumentException("--mask-weight needs a manipulator that predicts a mask (masked-unet,"
                    + " recolor-unet or masked-ae-latent); " + manipulator + " has none");
        }
        return maskWeight;
    }

    DistillOptions toOptions() {
        return DEFAULTS.toBuilder().steps(steps).batchSize(batch).learningRate(lr).pixelWeight(pixelWeight)
                .identityWeight(identityWeight).sparsityWeight(sparsityWeight)
                .maskWeight(maskWeight()).sds(guidance.apply(DEFAULTS.sds())).seed(seed)
                .workingResolution(workingResolution).manipulator(manipulator).prior(prior()).putBack(putBack)
                .maskGain(maskGain).maskFloor(maskFloor).emaDecay(ema).keepCaptions(keepCaptions).criticWeight(criticWeight)
                .refinement(new org.sdd4j.api.Refinement(refineSteps, refineStrength, refineGuidance, refineImages,
                        refineGuidedWeight, refineRounds))
                .upsampler(upsampler.isEmpty() ? "" : org.sdd4j.examples.EmbeddedModels.upsampler(upsampler).toString())
                .build();
    }
}
