package org.sdd4j.api;

/**
 * The refinement phase of a distillation: after the guided steps, the teacher redraws the manipulator's own edits of
 * some training images with a short, lightly noised sampling run (SDEdit from the edit, Meng et al. 2022), only where
 * the edit changed the image, and the manipulator is trained for a few more steps to produce those redrawn edits.
 * Score distillation pulls toward the teacher's modes (over-saturated colour, over-drawn strokes); the teacher's
 * sampler produces what its data look like, and starting from the edit itself keeps the edit. Editing stays one
 * forward pass: the teacher is used in training only. Like the iterative dataset update of Instruct-NeRF2NeRF
 * (Haque et al., ICCV 2023), with the sampler's targets distilled into a feed-forward editor.
 *
 * @param steps optimisation steps of the phase (0: off, the default)
 * @param strength SDEdit strength s in (0, 1): the edit is noised to t = s T and denoised (default 0.1)
 * @param guidance classifier-free guidance scale of the redrawing (default 3)
 * @param images training images whose edits are redrawn once, before the phase's steps (default 128)
 * @param guidedWeight weight of the guided steps' loss kept during the phase (default 0: the phase trains toward the
 *     redrawn edits alone). Where the redrawing fades a faint edit (a smile on a dark face), the teacher's guidance
 *     keeps it while the redrawn edits correct its colours and strokes. The kept loss includes the run's critic (a
 *     distillation's {@code criticWeight}), which judges but is no longer trained
 * @param rounds how many times the phase runs (default 1): each round redraws the edits of the same training images
 *     as the manipulator then makes them, and trains toward those for {@code steps} steps, so a later round starts
 *     from an edit the teacher has already corrected once (Instruct-NeRF2NeRF's iterative update, in rounds)
 */
public record Refinement(int steps, double strength, float guidance, int images, float guidedWeight, int rounds) {

    /** No refinement; the other values are the defaults an enabled refinement starts from. */
    public static final Refinement OFF = new Refinement(0, 0.1, 3f, 128, 0f, 1);

    /** Validates. */
    public Refinement {
        if (steps < 0) {
            throw new IllegalArgumentException("refinement steps (--refine-steps) must be >= 0 (0: off), got " + steps);
        }
        if (!(strength > 0 && strength < 1)) {
            throw new IllegalArgumentException("the refinement's strength (--refine-strength) must be in (0, 1), got "
                    + strength);
        }
        if (!(guidance >= 1) || Float.isInfinite(guidance)) {
            throw new IllegalArgumentException("the refinement's guidance scale (--refine-guidance) must be a finite"
                    + " number >= 1, got " + guidance);
        }
        if (images < 1) {
            throw new IllegalArgumentException("the refinement needs at least one image (--refine-images), got "
                    + images);
        }
        if (!(guidedWeight >= 0) || Float.isInfinite(guidedWeight)) {
            throw new IllegalArgumentException("the weight of the guidance kept during the refinement"
                    + " (--refine-guided-weight) must be a finite number >= 0, got " + guidedWeight);
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("the refinement's rounds (--refine-rounds) must be from 1 to " + MAX_ROUNDS
                    + ", got " + rounds);
        }
    }

    /** The most rounds a refinement runs (each redraws its pool with the teacher). */
    public static final int MAX_ROUNDS = 20;

    /** A refinement of one round. */
    public Refinement(int steps, double strength, float guidance, int images, float guidedWeight) {
        this(steps, strength, guidance, images, guidedWeight, 1);
    }

    /** A refinement toward the redrawn edits alone (no guided loss kept). */
    public Refinement(int steps, double strength, float guidance, int images) {
        this(steps, strength, guidance, images, 0f, 1);
    }

    /** Whether the phase runs. */
    public boolean enabled() {
        return steps > 0;
    }

    /** A copy with another step count. */
    public Refinement withSteps(int n) {
        return new Refinement(n, strength, guidance, images, guidedWeight, rounds);
    }

    /** A copy that keeps the guided steps' loss at {@code weight} during the phase. */
    public Refinement withGuidedWeight(float weight) {
        return new Refinement(steps, strength, guidance, images, weight, rounds);
    }

    /** A copy that runs {@code n} rounds. */
    public Refinement withRounds(int n) {
        return new Refinement(steps, strength, guidance, images, guidedWeight, n);
    }
}
