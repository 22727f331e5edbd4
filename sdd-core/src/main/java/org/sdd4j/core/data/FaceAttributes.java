package org.sdd4j.core.data;

import java.util.List;

/**
 * The known attributes of one FaceWorld face.
 *
 * @param mouthCurvature in [-1, 1]; negative frowns, positive smiles
 * @param mouth the mouth class derived from the curvature
 * @param hair hair colour
 * @param glasses whether the face wears glasses
 * @param skin skin tone
 * @param background background colour
 */
public record FaceAttributes(double mouthCurvature, Mouth mouth, Hair hair, boolean glasses, Skin skin,
        Background background) {

    /** Mouth classes, from the curvature. */
    public enum Mouth { FROWNING, NEUTRAL, SMILING }

    /** Hair colours. */
    public enum Hair { BLACK, BROWN, BLOND, RED, GREY }

    /** Skin tones. */
    public enum Skin { LIGHT, MEDIUM, DARK }

    /** Background colours. */
    public enum Background { BLUE, GREEN, PURPLE, YELLOW }

    /** The attribute heads the oracle predicts, in a fixed order, with their class counts. */
    public static final List<String> HEADS = List.of("mouth", "hair", "glasses", "skin", "background");

    /** Number of classes per head, in {@link #HEADS} order. */
    public static final int[] CLASSES = {Mouth.values().length, Hair.values().length, 2, Skin.values().length,
        Background.values().length};

    /** Class index of each head, in {@link #HEADS} order. */
    public int[] labels() {
        return new int[] {mouth.ordinal(), hair.ordinal(), glasses ? 1 : 0, skin.ordinal(), background.ordinal()};
    }

    /** Class name of a head's index, lower case. */
    public static String className(int head, int index) {
        return switch (head) {
            case 0 -> Mouth.values()[index].name().toLowerCase(java.util.Locale.ROOT);
            case 1 -> Hair.values()[index].name().toLowerCase(java.util.Locale.ROOT);
            case 2 -> index == 1 ? "glasses" : "no glasses";
            case 3 -> Skin.values()[index].name().toLowerCase(java.util.Locale.ROOT);
            case 4 -> Background.values()[index].name().toLowerCase(java.util.Locale.ROOT);
            default -> throw new IllegalArgumentException("no head " + head);
        };
    }
}
