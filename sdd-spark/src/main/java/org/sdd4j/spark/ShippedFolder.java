package org.sdd4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.ModelFolder;

/**
 * A model folder (an editor bundle or a teacher) that executors need. Either the driver ships it with
 * {@code SparkContext.addFile} (a folder on the driver's disk), or every executor copies it from shared
 * storage through Hadoop's {@link FileSystem} (HDFS, S3A, a shared mount). Either way the executor
 * checks that its copy has the manifest the driver saw (SHA-256) and that every file matches the
 * manifest's checksums before anything is loaded, and fetches it once per JVM.
 */
public abstract class ShippedFolder implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Executor-side local copies of shared folders, by manifest SHA-256. */
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();
    /** Temporary folders this JVM created (staging copies, local copies); deleted when the JVM exits. */
    private static final Set<Path> SCRATCH = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteScratch(scratch()), "sdd-spark-cleanup"));
    }

    private final String location;
    private final boolean shared;
    private final String manifestSha256;
    private final String shippedName;
    /** The driver's verified copy (set by {@link #prepare}). */
    private transient Path driverCopy;

    ShippedFolder(String location, boolean shared, String manifestSha256, String shippedName) {
        this.location = location;
        this.shared = shared;
        this.manifestSha256 = manifestSha256;
        this.shippedName = shippedName;
    }

    boolean isShared() {
        return shared;
    }

    /** Where the folder was given: a local path or a Hadoop URI. */
    public String location() {
        return location;
    }

    /** The SHA-256 of its manifest, once {@link #prepare prepared} (else null). */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** What the folder is, for messages ("editor bundle", "teacher"). */
    abstract String kind();

    /** Checks a local copy (format, checksums, fields); throws IllegalArgumentException naming the problem. */
    abstract void verify(Path folder);

    /** A copy of this source with the driver's findings filled in. */
    abstract ShippedFolder with(String manifestSha256, String shippedName);

    /**
     * Driver side: checks the folder and makes it reachable from the executors. Call once per job; the
     * edit and distill methods of {@link SddSpark} do.
     */
    ShippedFolder prepare(SparkSession spark) {
        if (manifestSha256 != null) {
            return this;
        }
        if (shared) {
            Path local = copyFromShared(spark.sparkContext().hadoopConfiguration(), null);
            ShippedFolder ready = with(AtomicFiles.sha256(local.resolve(ModelFolder.MANIFEST)), null);
            ready.driverCopy = local;
            return ready;
        }
        Path folder = Path.of(location).toAbsolutePath().normalize();
        verify(folder);
        String sha = AtomicFiles.sha256(folder.resolve(ModelFolder.MANIFEST));
        // a staging copy named by content: a changed folder is shipped under a new name, never confused
        String name = "sdd-" + kindSlug() + "-" + sha.substring(0, 16);
        Path staging = stage(folder, name);
        spark.sparkContext().addFile(staging.toUri().toString(), true);
        ShippedFolder ready = with(sha, name);
        ready.driverCopy = folder;
        return ready;
    }

    /** The driver's verified copy of a {@link #prepare prepared} source. */
    Path driverCopy() {
        if (driverCopy == null) {
            throw new IllegalStateException(kind() + " " + location + " was not prepared on this driver");
        }
        return driverCopy;
    }

    /**
     * Executor side: the verified local copy of the folder.
     *
     * @throws IllegalArgumentException if the copy differs from what the driver checked
     */
    Path localFolder() {
        if (manifestSha256 == null) {
            throw new IllegalStateException(kind() + " " + location + " was not prepared on the driver");
        }
        Path folder = shared ? copyFromShared(new Configuration(), manifestSha256) : Path.of(SparkFiles.get(shippedName));
        try {
            ModelFolder.requireManifestSha256(folder, manifestSha256);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + kind() + " " + location + " changed after the job started: "
                    + e.getMessage(), e);
        }
        verify(folder);
        return folder;
    }

    private String kindSlug() {
        return kind().replaceAll("[^a-z]+", "-");
    }

    static Path stage(Path folder, String name) {
        try {
            Path dir = scratchDirectory("sdd-spark-stage").resolve(name);
            Files.createDirectories(dir);
            try (var files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                        Files.copy(f, dir.resolve(f.getFileName().toString()));
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage " + folder + " for the executors", e);
        }
    }

    /** Copies the shared folder's files (one level) to a local cache folder once per JVM and manifest. */
    private Path copyFromShared(Configuration conf, String expectedSha) {
        if (expectedSha != null && COPIES.containsKey(expectedSha)) {
            return COPIES.get(expectedSha);
        }
        synchronized (COPIES) {
            if (expectedSha != null && COPIES.containsKey(expectedSha)) {
                return COPIES.get(expectedSha);
            }
            try {
                URI uri = URI.create(location);
                FileSystem fs = FileSystem.get(uri, conf);
                org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
                Path dir = scratchDirectory("sdd-spark-" + kindSlug());
                for (FileStatus st : fs.listStatus(src)) {
                    String n = st.getPath().getName();
                    if (st.isFile() && !n.startsWith(".")) {
                        try (InputStream in = fs.open(st.getPath())) {
                            Files.copy(in, dir.resolve(n), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                verify(dir);
                String sha = AtomicFiles.sha256(dir.resolve(ModelFolder.MANIFEST));
                COPIES.putIfAbsent(sha, dir);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("could not copy the " + kind() + " from " + location + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** A new temporary folder, deleted with its contents when the JVM exits (or by {@link #deleteScratch}). */
    private static Path scratchDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        SCRATCH.add(dir);
        return dir;
    }

    /** The temporary folders created so far and not yet deleted. */
    static Set<Path> scratch() {
        return Set.copyOf(SCRATCH);
    }

    /**
     * Deletes those of the given folders that this JVM created as temporary folders (each was made empty by
     * {@link Files#createTempDirectory}); others are ignored. Runs for all of them at JVM exit; Spark may read
     * a staged folder until then.
     */
    static void deleteScratch(Set<Path> dirs) {
        for (Path dir : dirs) {
            if (!SCRATCH.contains(dir)) {
                continue;
            }
            try {
                AtomicFiles.deleteRecursively(dir);
                SCRATCH.remove(dir);
                COPIES.values().removeIf(p -> p.equals(dir));
            } catch (IOException | RuntimeException e) {
                System.err.println("sdd-spark: could not delete the temporary folder " + dir + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return kind() + " " + location + (manifestSha256 == null ? "" : " (manifest " + manifestSha256.substring(0, 12) + ")");
    }
}
