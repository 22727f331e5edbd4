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

    /**
     * The readiness gate: refuses (or, with force, warns) unless the teacher's recorded evaluation says it
     * follows the prompt (see {@link org.sdd4j.core.eval.Readiness}).
     */
    void requireReady(String prompt, boolean force) {
        org.sdd4j.core.eval.Readiness.Verdict v = org.sdd4j.core.eval.Readiness.check(folder(), prompt);
        if (v.ready()) {
            return;
        }
        if (!force) {
            throw new IllegalArgumentException(v.message());
        }
        System.err.println("warning: " + v.message().replace(", or pass --force to go on anyway", "")
                + " (going on: --force)");
    }
}
