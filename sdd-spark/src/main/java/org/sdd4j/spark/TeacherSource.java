package org.sdd4j.spark;

import java.nio.file.Path;
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
        ModelFolder.readVerified(folder, UNetTeacher.FORMAT, UNetTeacher.FORMAT_VERSION, kind());
    }

    @Override
    TeacherSource with(String sha, String name) {
        return new TeacherSource(location(), isShared(), sha, name);
    }
}
