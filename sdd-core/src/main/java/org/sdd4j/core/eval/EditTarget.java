package org.sdd4j.core.eval;

import java.util.List;
import java.util.function.UnaryOperator;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceAttributes;
import org.sdd4j.core.data.FaceAttributes.Hair;
import org.sdd4j.core.data.FaceAttributes.Mouth;
import org.sdd4j.core.data.FaceWorld;

/**
 * A FaceWorld edit that can be measured: its name, teacher prompt, the oracle head and class it
 * targets, which faces it applies to, the region it may change, and the genuine target attributes.
 *
 * @param name the edit's name
 * @param prompt the teacher prompt
 * @param negativePrompt the prompt guidance moves away from
 * @param head the oracle head it changes
 * @param targetClass the class that head should show afterwards
 * @param region which mask may change: mouth, hair or eyes
 * @param target the attributes of the genuinely edited face
 */
public record EditTarget(String name, String prompt, String negativePrompt, int head, int targetClass, String region,
        UnaryOperator<FaceAttributes> target) {

    /** "smiling": the mouth becomes a smile. */
    public static final EditTarget SMILING = new EditTarget("smiling", "a smiling face", "a frowning face", 0, Mouth.SMILING.ordinal(),
            "mouth", a -> new FaceAttributes(FaceWorld.typicalCurvature(Mouth.SMILING), Mouth.SMILING, a.hair(),
                    a.glasses(), a.skin(), a.background()));

    /** "blond hair": the hair turns blond. */
    public static final EditTarget BLOND = new EditTarget("blond hair", "a face with blond hair", "a face with black hair", 1,
            Hair.BLOND.ordinal(), "hair", a -> new FaceAttributes(a.mouthCurvature(), a.mouth(), Hair.BLOND,
                    a.glasses(), a.skin(), a.background()));

    /** The known edits. */
    public static final List<EditTarget> ALL = List.of(SMILING, BLOND);

    /** An edit by name. */
    public static EditTarget byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no measurable edit '" + name + "'; known: "
                        + ALL.stream().map(EditTarget::name).toList()));
    }

    /** Whether the edit applies (the face does not already show the target). */
    public boolean appliesTo(Face f) {
        return f.attributes().labels()[head] != targetClass;
    }

    /** The mask of pixels this edit may change. */
    public boolean[] regionOf(Face f) {
        return switch (region) {
            case "mouth" -> f.mouthMask();
            case "hair" -> f.hairMask();
            default -> f.eyesMask();
        };
    }
}
