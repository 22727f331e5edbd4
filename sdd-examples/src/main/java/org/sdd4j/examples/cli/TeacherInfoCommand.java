package org.sdd4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.core.io.Json;
import org.sdd4j.examples.EmbeddedModels;
import org.sdd4j.core.io.ModelFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** What a teacher folder is, after loading it (checksums verified, modules probed). */
@Command(name = "teacher-info", mixinStandardHelpOptions = true,
        description = {"Load a teacher folder (every file checked against its SHA-256, each module run once on"
            + " inputs of the declared shapes) and print what it is: kind, prediction type, schedule, image"
            + " size, the space it denoises, text, source, files."})
final class TeacherInfoCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", description = "Teacher folder (default: the embedded FaceWorld teacher).")
    Path folder;

    @Override
    public Integer call() {
        Path dir = folder != null ? folder : EmbeddedModels.folder(EmbeddedModels.TEACHER);
        long t0 = System.nanoTime();
        try (DiffusionTeacher t = Backends.bestForTraining().loadTeacher(dir)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode m = Json.read(dir.resolve(ModelFolder.MANIFEST));
            System.out.printf("teacher      %s%n", dir);
            System.out.printf("id           %s%n", t.id());
            System.out.printf("kind         %s (format %s v%s)%n", m.path("kind").asText("faceworld-unet"),
                    m.path("format").asText(), m.path("formatVersion").asText());
            System.out.printf("prediction   %s%n", t.predictionType());
            System.out.printf("schedule     %s, %d steps%n", t.schedule(), t.schedule().numTimesteps());
            System.out.printf("images       %d x %d px%n", t.imageSize(), t.imageSize());
            System.out.printf("denoises     %s%n", t.space());
            if (m.has("text")) {
                System.out.printf("text         %s%n", m.get("text"));
            }
            if (m.has("source")) {
                System.out.printf("source       %s%n", m.get("source"));
            }
            System.out.printf("files        (each checked against its SHA-256 before loading; loaded in %.1f s)%n", seconds);
            Iterator<Map.Entry<String, JsonNode>> it = m.path("files").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                System.out.printf("  %-28s %s%n", e.getKey(), e.getValue().asText());
            }
        }
        return 0;
    }
}
