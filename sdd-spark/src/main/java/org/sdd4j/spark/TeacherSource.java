package org.sdd4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sdd4j.backend.pytorch.StableDiffusionTeacher;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.teacher.UNetTeacher;

/**
 * Where the executors get a teacher folder from, for {@link SddSpark#distill}: shipped from the driver
 * ({@link #of(Path)}) or read from shared storage ({@link #shared(String)}); checked like an
 * {@link EditorSource}.
 */
public final class TeacherSource extends ShippedFolder {

    private static final long serialVersionUID = 1L;

    private TeacherSource(String location, boolean shared, String sha, String name) {
        super(location, shared, sha, name);
    }

    /** A teacher folder on the driver's disk, shipped with the job. */
    public static TeacherSource of(Path teacher) {
        return new TeacherSource(teacher.toString(), false, null, null);
    }

    /** A teacher folder on shared storage, by Hadoop URI. */
    public static TeacherSource shared(String uri) {
        return new TeacherSource(uri, true, null, null);
    }

    @Override
    String kind() {
        return "teacher";
    }

    @Override
    void verify(Path folder) {
        // the library's own teachers and Stable Diffusion exports (format and checksums; the backend checks more)
        String format = Files.isRegularFile(folder.resolve(ModelFolder.MANIFEST))
                ? Json.read(folder.resolve(ModelFolder.MANIFEST)).path("format").asText("") : "";
        if (format.equals(StableDiffusionTeacher.FORMAT)) {
            ModelFolder.readVerified(folder, format, StableDiffusionTeacher.FORMAT_VERSION, kind());
        } else {
            ModelFolder.readVerified(folder, UNetTeacher.FORMAT, UNetTeacher.FORMAT_VERSION, kind());
        }
    }

    @Override
    TeacherSource with(String sha, String name) {
        return new TeacherSource(location(), isShared(), sha, name);
    }
}
