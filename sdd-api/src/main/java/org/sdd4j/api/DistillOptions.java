package org.sdd4j.api;

/**
 * Training options of a distillation run. Defaults follow the SDD paper's released code where it has
 * them (AdamW, lr 0.005, weight decay 0.002, guidance scale 100, top-k) and our measurements on the
 * embedded face domain elsewhere.
 *
 * @param steps optimisation steps
 * @param batchSize images per step
 * @param learningRate AdamW learning rate; paper code 0.005
 * @param weightDecay AdamW decoupled weight decay; paper code 0.002
 * @param pixelWeight weight of the mean squared distance between the edited and input image
 * @param identityWeight weight of the feature distance under a frozen feature network
 * @param sds the guidance gradient's options; default Noise-Free Score Distillation at guidance 100 with
 *     the paper's weighting and top-k ({@link #DEFAULT_GUIDANCE}): on 200 held-out FaceWorld faces it kept
 *     SDS's success ("smiling" 97% against 99%) with edits closer to the genuine counterfactual (Frechet
 *     distance 92 against 127, colour error 8.6 against 13.9; docs/RESULTS.md)
 * @param manipulator manipulator architecture name: {@code masked-unet} (the default: a residual U-Net that
 *     also predicts where it may change the image; on 200 held-out FaceWorld faces it raised "smiling" from
 *     97.0% success / 35.1 dB outside the mouth to 100.0% / 42.1 dB and "blond hair" from 75.5% / 32.9 dB to
 *     80.0% / 34.0 dB, docs/RESULTS.md), {@code recolor-unet} (a mask and one affine colour map per image),
 *     {@code residual-unet}, {@code ae-latent} or {@code masked-ae-latent}
 * @param manipulatorWidth base channel count of the manipulator
 * @param checkpointEvery write a resumable checkpoint every this many steps (0 = only at the end)
 * @param previewEvery write a before/after grid every this many steps (0 = never)
 * @param seed seeds the initialisation, the data order, the timesteps and the noise
 * @param workingResolution the size the manipulator edits at (0 = the teacher's image size up to 128 px, else
 *     its largest even divisor up to 128); its output is
 *     upsampled (nearest, by an integer factor) to the teacher's size before the teacher sees it, so that
 *     a 512-px latent teacher can guide a 64- or 128-px manipulator
 * @param prior the autoencoder folder the {@code ae-latent} manipulator edits in ("" for none)
 * @param sparsityWeight weight of the summed absolute change |y' - y| per image (0 = off): unlike the squared
 *     pixel term it costs small changes as much per unit as large ones, so pixels the guidance barely asks to
 *     move stay exactly where they are (a soft threshold on the edit) and the change concentrates in the
 *     edit's region
 * @param maskWeight area cost of a masked manipulator's mask (summed over the pixels per image, 0 = off;
 *     ignored by architectures that predict no mask); it rises linearly from 0 over the first 150 steps
 *     (half of the default run), so that the edit forms before the mask trims it
 * @param putBack how the edit is put back onto images larger than the model's resolution (recorded in the
 *     bundle; default {@link PutBack#BLEND})
 * @param upsampler the guided upsampler folder ({@code sdd train-upsampler}) that {@link PutBack#LEARNED} stores
 *     with the edit ("" for none; required by, and only allowed with, {@code LEARNED})
 * @param maskGain how far a masked manipulator's mask opens when editing (not in training): m' = min(1, gain m),
 *     recorded with the edit (default 1). The mask's area cost leaves the mask of a large recolour half open over
 *     the region, the change it scales stops short of the target colour, and the edit comes out as a mix of old
 *     and new (black hair to blond: olive); FaceWorld "blond hair" with gain 1.5: colour error 54.9 -> 27.9,
 *     Frechet distance 41.65 -> 12.60 (docs/RESULTS.md). Only for architectures that predict a mask
 * @param emaDecay keep an exponential moving average of the manipulator's weights and store the average instead of
 *     the last step's weights (0 = off, the default; else in (0, 1)). The decay at step n is min(emaDecay, (1 + n) /
 *     (10 + n)), which stays below 0.97 for the first 300 steps, so in a run of the default length every decay from
 *     0.97 up gives the same average, most of it from the last 50 steps (mean age 30 steps); 0.95 weighs the last 20
 *     (mean age 19). The last step of a short run is one noisy point of the optimisation: on FaceWorld "smiling"
 *     (200 held-out faces, seeds 0-3) the average at 0.95 kept the Frechet distance to genuine smiles between 39
 *     and 67 (at 0.99: 45-62) where the last step's ranged from 17 to 142 (docs/RESULTS.md)
 * @param keepCaptions a regular expression (case-insensitive, found anywhere in the caption; "" = off): training
 *     images whose caption matches it already show the target, so they get no guidance, only the losses that keep
 *     an image as it is (pixel, identity, mask): the manipulator learns to leave such images alone instead of
 *     pushing them further toward the teacher's idea of the target (FaceWorld "smiling": {@code smiling|happy})
 * @param criticWeight weight of a realism term learned from the data (0 = off, the default): a small patch critic is
 *     trained alongside the manipulator to tell the training images that {@code keepCaptions} matches (they show the
 *     target) from the manipulator's edits, after a warm-up on those images against the others, and the manipulator
 *     is pushed toward what the critic takes for the data's: where the teacher's guidance over-draws, the data pull
 *     the edit back (FaceWorld "smiling" at weight 100, 200 held-out faces, two seeds: a thinner smile, PSNR to the
 *     genuine mouth +1.3 / +0.4 dB, FD 38.63 -> 34.79 / 55.18 -> 47.65; "blond hair" at 300: colour error 28.7 ->
 *     17.8 but a glow outside the hair; docs/RESULTS.md). Needs {@code keepCaptions}
 * @param refinement the refinement phase after the guided steps (default {@link Refinement#OFF}; see
 *     {@link Refinement})
 * @param maskFloor the part of a masked manipulator's mask that is closed when editing (not in training), before the
 *     gain opens the rest: m' = min(1, gain max(0, m - floor) / (1 - floor)), recorded with the edit (default 0, in
 *     [0, 1)). The mask's soft tail around a large recolour lets the change spread a little beyond the region, which
 *     at 256 px shows as a glow round the head; FaceWorld "blond hair" at 0.1 (docs/RESULTS.md). A refinement trains
 *     the edit as applied, with the floor. Only for architectures that predict a mask
 */
public record DistillOptions(int steps, int batchSize, float learningRate, float weightDecay, float pixelWeight,
        float identityWeight, SdsOptions sds, String manipulator, int manipulatorWidth, int checkpointEvery,
        int previewEvery, long seed, int workingResolution, String prior, float sparsityWeight,
        float maskWeight, PutBack putBack, String upsampler, float maskGain,
        float emaDecay, String keepCaptions, float criticWeight, Refinement refinement, float maskFloor) {

    /** The default guidance: NFSD at s = 100, otherwise the paper's SDS options (see {@code sds}). */
    public static final SdsOptions DEFAULT_GUIDANCE = SdsOptions.defaults().withObjective(GuidanceObjective.NFSD);


    /** The default manipulator architecture. */
    public static final String DEFAULT_MANIPULATOR = "masked-unet";

    /** The default area cost of the mask (measured on FaceWorld: 0.05 kept success, 0.2 cost it; docs/RESULTS.md). */
    public static final float DEFAULT_MASK_WEIGHT = 0.05f;

    /** Validates. */
    public DistillOptions {
        if (steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("steps and batchSize must be >= 1, got " + steps + ", " + batchSize);
        }
        LearningRate.check(learningRate, "distillation");
        if (!(weightDecay >= 0) || !(pixelWeight >= 0) || !(identityWeight >= 0) || !(sparsityWeight >= 0)
                || !(maskWeight >= 0)) {
            throw new IllegalArgumentException("weight decay and loss weights must be >= 0, got " + weightDecay + ", "
                    + pixelWeight + ", " + identityWeight + ", " + sparsityWeight + ", " + maskWeight);
        }
        prior = prior == null ? "" : prior;
        putBack = putBack == null ? PutBack.BLEND : putBack;
        upsampler = upsampler == null ? "" : upsampler;
        if ((putBack == PutBack.LEARNED) == upsampler.isEmpty()) {
            throw new IllegalArgumentException(putBack == PutBack.LEARNED
                    ? "put-back LEARNED needs a guided upsampler folder (--upsampler DIR, trained by sdd train-upsampler)"
                    : "an upsampler is only used by put-back LEARNED, not " + putBack);
        }
        if (workingResolution < 0) {
            throw new IllegalArgumentException("workingResolution must be >= 0 (0: the teacher's), got "
                    + workingResolution);
        }
        if (!(maskGain > 0) || Float.isInfinite(maskGain)) {
            throw new IllegalArgumentException("maskGain must be a finite number > 0 (1: the mask as trained), got "
                    + maskGain);
        }
        if (!(maskFloor >= 0 && maskFloor < 1)) {
            throw new IllegalArgumentException("the mask floor (--mask-floor) must be in [0, 1) (0: the mask as trained),"
                    + " got " + maskFloor);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("the weights' average decay (emaDecay, --ema) must be in [0, 1) (0: off),"
                    + " got " + emaDecay);
        }
        keepCaptions = keepCaptions == null ? "" : keepCaptions;
        try {
            java.util.regex.Pattern.compile(keepCaptions);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("keepCaptions (--keep-captions) is not a regular expression: "
                    + e.getDescription() + " in '" + keepCaptions + "'", e);
        }
        if (!(criticWeight >= 0) || Float.isInfinite(criticWeight)) {
            throw new IllegalArgumentException("the critic's weight (criticWeight, --critic-weight) must be a finite"
                    + " number >= 0 (0: off), got " + criticWeight);
        }
        if (criticWeight > 0 && keepCaptions.isEmpty()) {
            throw new IllegalArgumentException("the critic (--critic-weight " + criticWeight + ") learns what the target"
                    + " looks like from the training images whose caption shows it: give them with --keep-captions REGEX");
        }
        refinement = refinement == null ? Refinement.OFF : refinement;
        if (manipulatorWidth < 1 || checkpointEvery < 0 || previewEvery < 0) {
            throw new IllegalArgumentException("manipulatorWidth must be >= 1, checkpointEvery/previewEvery >= 0");
        }
    }

    /** The guided steps and the refinement's (every round's): what a progress bar counts. */
    public int totalSteps() {
        return steps + refinement.steps() * refinement.rounds();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static DistillOptions defaults() {
        return builder().build();
    }

    /** A builder initialised from this. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.steps = steps;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.pixelWeight = pixelWeight;
        b.identityWeight = identityWeight;
        b.sds = sds;
        b.manipulator = manipulator;
        b.manipulatorWidth = manipulatorWidth;
        b.checkpointEvery = checkpointEvery;
        b.previewEvery = previewEvery;
        b.seed = seed;
        b.workingResolution = workingResolution;
        b.prior = prior;
        b.sparsityWeight = sparsityWeight;
        b.maskWeight = maskWeight;
        b.putBack = putBack;
        b.upsampler = upsampler;
        b.maskGain = maskGain;
        b.emaDecay = emaDecay;
        b.keepCaptions = keepCaptions;
        b.criticWeight = criticWeight;
        b.refinement = refinement;
        b.maskFloor = maskFloor;
        return b;
    }

    /** Builder of {@link DistillOptions}. */
    public static final class Builder {
        private int steps = 300;
        private int batchSize = 8;
        private float learningRate = 0.005f;
        private float weightDecay = 0.002f;
        private float pixelWeight = 2.0f;
        private float identityWeight = 0.5f;
        private SdsOptions sds = DEFAULT_GUIDANCE;
        private String manipulator = DEFAULT_MANIPULATOR;
        private int manipulatorWidth = 16;
        private int checkpointEvery = 50;
        private int previewEvery = 100;
        private long seed = 0;
        private int workingResolution = 0;
        private String prior = "";
        private float sparsityWeight = 0f;
        private float maskWeight = DEFAULT_MASK_WEIGHT;
        private PutBack putBack = PutBack.BLEND;
        private String upsampler = "";
        private float maskGain = 1f;
        private float emaDecay = 0f;
        private String keepCaptions = "";
        private float criticWeight = 0f;
        private Refinement refinement = Refinement.OFF;
        private float maskFloor = 0f;

        private Builder() {}

        /** Optimisation steps (default 300). */
        public Builder steps(int v) { steps = v; return this; }
        /** Images per step (default 8). */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /** AdamW learning rate (default 0.005, paper code). */
        public Builder learningRate(float v) { learningRate = v; return this; }
        /** AdamW weight decay (default 0.002, paper code). */
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        /** Pixel L2 weight (default 2, measured on FaceWorld: see README). */
        public Builder pixelWeight(float v) { pixelWeight = v; return this; }
        /** Identity feature weight (default 0.5). */
        public Builder identityWeight(float v) { identityWeight = v; return this; }
        /** Gradient options (default {@link SdsOptions#defaults()}). */
        public Builder sds(SdsOptions v) { sds = v; return this; }
        /** Manipulator architecture (default {@value DistillOptions#DEFAULT_MANIPULATOR}). */
        public Builder manipulator(String v) { manipulator = v; return this; }
        /** Manipulator base width (default 16). */
        public Builder manipulatorWidth(int v) { manipulatorWidth = v; return this; }
        /** Checkpoint period in steps (default 50). */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        /** Preview period in steps (default 100). */
        public Builder previewEvery(int v) { previewEvery = v; return this; }
        /** Seed (default 0). */
        public Builder seed(long v) { seed = v; return this; }
        /** The manipulator's working size (default 0: the teacher's image size). */
        public Builder workingResolution(int v) { workingResolution = v; return this; }
        /** The autoencoder folder of the {@code ae-latent} manipulator (default none). */
        public Builder prior(String v) { prior = v; return this; }
        /** Weight of the summed absolute change per image (default 0: off). */
        public Builder sparsityWeight(float v) { sparsityWeight = v; return this; }
        /** Area cost of a masked manipulator's mask (default {@value DistillOptions#DEFAULT_MASK_WEIGHT}). */
        public Builder maskWeight(float v) { maskWeight = v; return this; }
        /** How the edit is put back onto larger images (default {@link PutBack#BLEND}). */
        public Builder putBack(PutBack v) { putBack = v; return this; }
        /** The guided upsampler folder {@link PutBack#LEARNED} stores with the edit (default none). */
        public Builder upsampler(String v) { upsampler = v; return this; }
        /** How far the mask opens when editing: min(1, gain m) (default 1). */
        public Builder maskGain(float v) { maskGain = v; return this; }
        /** Decay of the weights' moving average that is stored instead of the last step's (default 0: off). */
        public Builder emaDecay(float v) { emaDecay = v; return this; }
        /** Captions (a regular expression) of training images that already show the target (default "": none). */
        public Builder keepCaptions(String v) { keepCaptions = v; return this; }
        /** Weight of the realism term learned from the data (default 0: off; needs {@link #keepCaptions}). */
        public Builder criticWeight(float v) { criticWeight = v; return this; }
        /** The refinement phase after the guided steps (default {@link Refinement#OFF}). */
        public Builder refinement(Refinement v) { refinement = v; return this; }
        /** The part of the mask closed when editing before the gain opens the rest (default 0: none). */
        public Builder maskFloor(float v) { maskFloor = v; return this; }

        /** Builds and validates. */
        public DistillOptions build() {
            return new DistillOptions(steps, batchSize, learningRate, weightDecay, pixelWeight, identityWeight, sds,
                    manipulator, manipulatorWidth, checkpointEvery, previewEvery, seed, workingResolution, prior,
                    sparsityWeight, maskWeight, putBack, upsampler, maskGain, emaDecay, keepCaptions, criticWeight,
                    refinement, maskFloor);
        }
    }
}
