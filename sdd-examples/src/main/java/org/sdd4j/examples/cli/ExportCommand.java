package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.examples.EmbeddedModels;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Exports an editor bundle or a teacher as TensorFlow SavedModels. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained editor bundle, or a teacher, as TensorFlow SavedModels (tag serve, signature"
            + " serving_default) with a manifest describing the signature, for DJL's TensorFlow engine or"
            + " TensorFlow Serving.",
            "Editor signature: image float32 [-1, R, R, 3] RGB in [0, 1] -> edited float32 [-1, R, R, 3].",
            "Teacher signature: x_t [-1, R, R, C], t [-1], text [-1, V] (bag of words) -> eps [-1, R, R, C]."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--format", defaultValue = "savedmodel",
            description = "Export format (default: ${DEFAULT-VALUE}; the only one).")
    String format;

    @ArgGroup(multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--editor", description = "An editor bundle folder (from `sdd distill` or `sdd demo`).")
        Path editor;

        @Option(names = "--teacher", arity = "0..1", fallbackValue = "embedded",
                description = "A teacher folder; without a value, the embedded FaceWorld teacher.")
        String teacher;
    }

    @Option(names = "--out", required = true, description = {"The export folder: new, empty, or an earlier export of"
        + " the same kind (switched to the new export atomically; other files there are kept)."})
    Path out;

    @Mixin
    ForceOption force;

    @Override
    public Integer call() {
        if (!format.equalsIgnoreCase("savedmodel")) {
            throw new IllegalArgumentException("unknown export format '" + format + "'; known: savedmodel");
        }
        // the SavedModel format belongs to the tensorflow backend
        SddBackend exporter = Backends.get("tensorflow");
        if (what.editor != null) {
            exporter.exportEditor(what.editor, out, force.force);
            System.out.println("exported the edits of " + what.editor + " to " + out);
        } else {
            Path folder = what.teacher.equals("embedded") ? EmbeddedModels.folder(EmbeddedModels.TEACHER)
                    : Path.of(what.teacher);
            exporter.exportTeacher(folder, out, force.force);
            System.out.println("exported the teacher " + folder + " to " + out);
        }
        System.out.println("signature and value ranges: " + out.resolve("manifest.json"));
        return 0;
    }
}
