package org.sdd4j.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Captions of FaceWorld faces: each names a random subset of the attributes, with varied wording. */
public final class Captions {

    private Captions() {}

    private static final String[][] MOUTH_WORDS = {{"frowning", "sad"}, {"neutral", "calm"}, {"smiling", "happy"}};

    /** The words a caption can use, for building a text vocabulary. */
    public static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of("a", "face", "person", "with", "and", "hair", "glasses", "wearing",
                "without", "skin", "on", "background"));
        for (String[] ws : MOUTH_WORDS) {
            v.addAll(List.of(ws));
        }
        for (FaceAttributes.Hair h : FaceAttributes.Hair.values()) {
            v.add(h.name().toLowerCase(Locale.ROOT));
        }
        for (FaceAttributes.Skin s : FaceAttributes.Skin.values()) {
            v.add(s.name().toLowerCase(Locale.ROOT));
        }
        for (FaceAttributes.Background b : FaceAttributes.Background.values()) {
            v.add(b.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(new java.util.LinkedHashSet<>(v));
    }

    /** A caption for the attributes, drawing the subset and wording from {@code r}. */
    static String caption(FaceAttributes a, SplittableRandom r) {
        StringBuilder sb = new StringBuilder("a ");
        if (r.nextDouble() < 0.75) {
            sb.append(MOUTH_WORDS[a.mouth().ordinal()][r.nextDouble() < 0.75 ? 0 : 1]).append(' ');
        }
        sb.append(r.nextDouble() < 0.8 ? "face" : "person");
        List<String> extras = new ArrayList<>();
        if (r.nextDouble() < 0.7) {
            extras.add(a.hair().name().toLowerCase(Locale.ROOT) + " hair");
        }
        if (r.nextDouble() < 0.4) {
            extras.add(a.skin().name().toLowerCase(Locale.ROOT) + " skin");
        }
        boolean mentionGlasses = r.nextDouble() < 0.7;
        if (mentionGlasses && a.glasses()) {
            extras.add("glasses");
        }
        if (!extras.isEmpty()) {
            sb.append(" with ");
            for (int i = 0; i < extras.size(); i++) {
                if (i > 0) {
                    sb.append(i == extras.size() - 1 ? " and " : ", ");
                }
                sb.append(extras.get(i));
            }
        }
        if (mentionGlasses && !a.glasses()) {
            sb.append(" without glasses");
        }
        if (r.nextDouble() < 0.4) {
            sb.append(" on a ").append(a.background().name().toLowerCase(Locale.ROOT)).append(" background");
        }
        return sb.toString();
    }
}
