package org.sdd4j.core.guidance;

import ai.djl.ndarray.NDManager;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.GuidanceObjective;
import org.sdd4j.api.SdsOptions;
import org.sdd4j.api.SdsWeighting;
import org.sdd4j.api.SelectionOptions;

/**
 * Everything that decides the guidance gradient except top-k. The timestep search and the
 * distillation both build theirs with {@link #of}, so that HQS scores timesteps under exactly the
 * guidance that training will use.
 *
 * @param objective SDS, DDS or NFSD
 * @param prompt the target prompt
 * @param negativePrompt the prompt guidance moves away from (empty: the empty prompt)
 * @param sourcePrompt the prompt of the unedited images (DDS only, else empty)
 * @param scale the classifier-free guidance scale
 * @param weighting w(t)
 * @param zeroNoise eps = 0 instead of Gaussian noise
 * @param lowNoiseScale the scale below {@link SdsOptions#LOW_NOISE_BELOW} (0: {@code scale} everywhere)
 */
public record GuidanceSetup(GuidanceObjective objective, String prompt, String negativePrompt, String sourcePrompt,
        float scale, SdsWeighting weighting, boolean zeroNoise, float lowNoiseScale) {

    /** A setup with one scale at every timestep. */
    public GuidanceSetup(GuidanceObjective objective, String prompt, String negativePrompt, String sourcePrompt,
            float scale, SdsWeighting weighting, boolean zeroNoise) {
        this(objective, prompt, negativePrompt, sourcePrompt, scale, weighting, zeroNoise, 0f);
    }

    /** The options' view of the scales, for {@link SdsOptions#scaleAt} and {@link SdsOptions#gainAt}. */
    SdsOptions scales() {
        return new SdsOptions(scale, weighting, 0, zeroNoise, objective, sourcePrompt, lowNoiseScale);
    }

    /** The timestep from which NFSD's delta_D is the pull away from the negative prompt (Katzir et al.). */
    static final int NFSD_SWITCH = 200;

    /**
     * The setup of a request.
     *
     * @throws IllegalArgumentException if DDS has neither a source nor a negative prompt
     */
    public static GuidanceSetup of(String prompt, String negativePrompt, SdsOptions o) {
        String negative = negativePrompt == null ? "" : negativePrompt;
        String source = "";
        if (o.objective() == GuidanceObjective.DDS) {
            source = !o.sourcePrompt().isEmpty() ? o.sourcePrompt() : negative;
            if (source.isEmpty()) {
                throw new IllegalArgumentException("the DDS objective needs a prompt that describes the unedited images:"
                        + " give a source prompt (--source-prompt \"a face\") or a negative prompt");
            }
        }
        return new GuidanceSetup(o.objective(), prompt, negative, source, o.guidanceScale(), o.weighting(),
                o.zeroNoise(), o.lowNoiseGuidance());
    }

    /** The setup of a distillation. */
    public static GuidanceSetup forDistillation(DistillRequest r) {
        return of(r.prompt(), r.negativePrompt(), r.options().sds());
    }

    /** The setup of a timestep search. */
    public static GuidanceSetup forSearch(String prompt, SelectionOptions o) {
        return of(prompt, o.negativePrompt(), o.sds());
    }

    /** The prompts encoded once by a teacher. */
    public record Encoded(GuidanceSetup setup, Conditioning target, Conditioning source, Conditioning plain,
            Conditioning negative) implements AutoCloseable {
        @Override
        public void close() {
            for (Conditioning c : new Conditioning[] {target, source, plain, negative}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** Encodes the prompts this objective needs. */
    public Encoded encode(DiffusionTeacher teacher, NDManager m) {
        return switch (objective) {
            case SDS -> new Encoded(this, teacher.encode(prompt, negativePrompt, m), null, null, null);
            case DDS -> new Encoded(this, teacher.encode(prompt, negativePrompt, m),
                    teacher.encode(sourcePrompt, negativePrompt, m), null, null);
            case NFSD -> new Encoded(this, null, null, teacher.encode(prompt, "", m),
                    teacher.encode(negativePrompt, "", m));
        };
    }
}
