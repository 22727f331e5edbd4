package org.sdd4j.examples.cli;

import java.nio.file.Path;
import org.sdd4j.examples.EmbeddedModels;
import picocli.CommandLine.Option;

/** The --teacher option: a teacher folder, or the embedded FaceWorld teacher by default. */
final class TeacherOption {

    @Option(names = "--teacher", description = "Teacher folder (default: the embedded FaceWorld teacher).")
    Path teacher;

    Path folder() {
        return teacher != null ? teacher : EmbeddedModels.folder(EmbeddedModels.TEACHER);
    }
}
