package org.sdd4j.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;

/**
 * The readiness gate: before a search or a distillation, does the teacher follow the edit prompt? The
 * answer comes from the evaluation recorded in the teacher's manifest ({@code sdd evaluate-teacher
 * --record}): the share of the teacher's guided samples for that prompt that a judge assigns to it (the
 * FaceWorld oracle, or a caption judge trained on the user's data). A teacher never measured on the
 * prompt, or measured below {@link #MIN_AGREEMENT}, is not ready.
 */
public final class Readiness {

    /** The agreement a prompt needs: 80% of the guided samples show it. */
    public static final double MIN_AGREEMENT = 0.8;
    /** The manifest fields holding per-prompt agreement, under metrics.evaluateTeacher. */
    static final String[] FIELDS = {"captionAgrees", "oracleAgrees"};

    private Readiness() {}

    /**
     * The verdict.
     *
     * @param ready whether the teacher may be distilled from without --force
     * @param agreement the recorded agreement, or NaN if never measured
     * @param message what was found and, if not ready, which command measures it
     */
    public record Verdict(boolean ready, double agreement, String message) {}

    /** Checks a teacher folder's recorded evaluation for a prompt. */
    public static Verdict check(Path teacher, String prompt) {
        JsonNode m = Files.isRegularFile(teacher.resolve(ModelFolder.MANIFEST))
                ? Json.read(teacher.resolve(ModelFolder.MANIFEST)) : Json.object();
        JsonNode eval = m.path("metrics").path("evaluateTeacher");
        String measure = "measure it with `sdd evaluate-teacher --teacher " + teacher + " --data LIST --record`"
                + " (FaceWorld teachers: without --data), or pass --force to go on anyway";
        for (String field : FIELDS) {
            JsonNode a = eval.path(field).path(prompt);
            if (a.isNumber()) {
                double v = a.asDouble();
                String judge = eval.path("judge").asText("a judge");
                if (v >= MIN_AGREEMENT) {
                    return new Verdict(true, v, String.format(Locale.ROOT, "teacher %s follows \"%s\" in %.1f%% of its"
                            + " guided samples (%s)", teacher, prompt, 100 * v, judge));
                }
                return new Verdict(false, v, String.format(Locale.ROOT, "teacher %s follows \"%s\" in only %.1f%% of"
                        + " its guided samples (%s), below the %.0f%% an edit needs: an edit distilled from it would"
                        + " follow the teacher, not the prompt; train the teacher further, or %s", teacher, prompt,
                        100 * v, judge, 100 * MIN_AGREEMENT, measure.replace("measure it with", "re-measure with")));
            }
        }
        StringBuilder known = new StringBuilder();
        for (String field : FIELDS) {
            Iterator<Map.Entry<String, JsonNode>> it = eval.path(field).fields();
            while (it.hasNext()) {
                known.append(known.length() == 0 ? "" : ", ").append('"').append(it.next().getKey()).append('"');
            }
        }
        return new Verdict(false, Double.NaN, "teacher " + teacher + " was never measured on \"" + prompt + "\""
                + (known.length() == 0 ? "" : " (its recorded evaluation covers " + known + ")") + "; " + measure);
    }

    /**
     * Records an evaluation in a teacher folder's manifest (metrics.evaluateTeacher), keeping every file;
     * the manifest is switched atomically.
     *
     * @param teacher the teacher folder (of any format the library writes or reads)
     * @param evaluation the evaluation, with a per-prompt agreement object under one of the fields
     *     {@code captionAgrees} / {@code oracleAgrees}
     */
    public static void record(Path teacher, ObjectNode evaluation) {
        JsonNode old = Json.read(teacher.resolve(ModelFolder.MANIFEST));
        String format = old.path("format").asText();
        int version = old.path("formatVersion").asInt();
        ModelFolder.readVerified(teacher, format, version, "teacher");
        try (ModelFolder folder = ModelFolder.open(teacher, format, version, "teacher", false)) {
            ObjectNode m = (ObjectNode) folder.previous().deepCopy();
            old.path("files").fieldNames().forEachRemaining(folder::keep);
            ObjectNode metrics = m.has("metrics") && m.get("metrics").isObject() ? (ObjectNode) m.get("metrics")
                    : m.putObject("metrics");
            metrics.set("evaluateTeacher", evaluation);
            folder.commit(m);
        }
    }
}
