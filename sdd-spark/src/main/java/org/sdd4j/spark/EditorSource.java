package org.sdd4j.spark;

import java.nio.file.Path;
import org.sdd4j.core.io.EditorBundle;

/**
 * Where the executors get an editor bundle from. {@link #of(Path)}: a folder on the driver's disk,
 * shipped with the job ({@code SparkContext.addFile}); {@link #shared(String)}: a folder on storage every
 * executor reads (HDFS, S3A, a shared mount), copied once per executor JVM. The copy is checked against
 * the manifest the driver saw and against the manifest's checksums before it is loaded.
 */
public final class EditorSource extends ShippedFolder {

    private static final long serialVersionUID = 1L;

    private EditorSource(String location, boolean shared, String sha, String name) {
        super(location, shared, sha, name);
    }

    /** A bundle folder on the driver's disk, shipped with the job. */
    public static EditorSource of(Path bundle) {
        return new EditorSource(bundle.toString(), false, null, null);
    }

    /** A bundle folder on shared storage, by Hadoop URI (hdfs://..., s3a://..., file:/shared/...). */
    public static EditorSource shared(String uri) {
        return new EditorSource(uri, true, null, null);
    }

    @Override
    String kind() {
        return "editor bundle";
    }

    @Override
    void verify(Path folder) {
        EditorBundle.readVerified(folder);
    }

    @Override
    EditorSource with(String sha, String name) {
        return new EditorSource(location(), isShared(), sha, name);
    }
}
