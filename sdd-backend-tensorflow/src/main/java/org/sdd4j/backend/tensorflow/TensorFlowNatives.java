package org.sdd4j.backend.tensorflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.sdd4j.core.io.AtomicFiles;
import org.sdd4j.core.io.ProcessEnvironment;

/**
 * Makes DJL's TensorFlow engine find its native library offline. DJL 0.36's engine expects
 * TensorFlow 2.16.1, whose natives Maven Central ships in {@code org.tensorflow:tensorflow-core-native}
 * (classifier {@code linux-x86_64}, 149 MB, 632 MB unpacked) rather than where DJL looks for them.
 * On first use the files are extracted once into a cache folder; a marker written last tells a
 * complete extraction from a half-finished one (which is redone), and a file lock keeps two
 * processes from extracting at the same time. The engine is then pointed at the folder through
 * the {@code TENSORFLOW_LIBRARY_PATH} system property. An explicit {@code TENSORFLOW_LIBRARY_PATH}
 * (environment or property) always wins.
 */
public final class TensorFlowNatives {

    /** DJL's override variable (environment or system property). */
    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    /** The resource folder of the natives in the classifier jar. */
    static final String RESOURCE_DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
    /** The file whose presence marks a complete extraction. */
    static final String MARKER = ".complete";
    /** The JNI library the engine loads first. */
    static final String JNI = "libjnitensorflow.so";

    private static volatile Path resolved;

    private TensorFlowNatives() {}

    /**
     * Finds or extracts the natives and sets {@code TENSORFLOW_LIBRARY_PATH}; idempotent.
     *
     * @return the folder the engine will load from
     * @throws IllegalStateException if no natives can be found for this platform
     */
    public static synchronized Path ensure() {
        if (resolved != null) {
            return resolved;
        }
        quietLogs();
        String explicit = System.getenv(LIBRARY_PATH);
        if (explicit == null) {
            explicit = System.getProperty(LIBRARY_PATH);
        }
        if (explicit != null && !explicit.isBlank()) {
            resolved = Path.of(explicit);
            return resolved;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the bundled TensorFlow natives are for linux-x86_64, this is " + os + "/"
                    + arch + "; set " + LIBRARY_PATH + " to a folder with TensorFlow 2.16.1's "
                    + JNI + ", libtensorflow_cc.so.2 and libtensorflow_framework.so.2");
        }
        URL jni = TensorFlowNatives.class.getClassLoader().getResource(RESOURCE_DIR + JNI);
        if (jni == null) {
            throw new IllegalStateException("TensorFlow natives not found on the class path: add"
                    + " org.tensorflow:tensorflow-core-native:1.0.0-rc.1:linux-x86_64, or set " + LIBRARY_PATH);
        }
        Path folder = AtomicFiles.cacheRoot().resolve("tensorflow").resolve("2.16.1-linux-x86_64");
        try {
            JarURLConnection c = (JarURLConnection) jni.openConnection();
            c.setUseCaches(false);
            try (JarFile jar = c.getJarFile()) {
                extract(jar, RESOURCE_DIR, folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the TensorFlow natives to " + folder, e);
        }
        System.setProperty(LIBRARY_PATH, folder.toString());
        resolved = folder;
        return folder;
    }

    /** TensorFlow logs every model load and its CPU features at INFO; keep warnings and errors. */
    private static void quietLogs() {
        if (System.getenv("TF_CPP_MIN_LOG_LEVEL") == null) {
            try {
                ProcessEnvironment.setIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
            } catch (IllegalStateException e) {
                // only cosmetic
            }
        }
    }

    /**
     * Extracts the entries under {@code prefix} of a jar into {@code folder} unless a complete
     * extraction is already there. Safe against concurrent extractions (threads: this method is
     * synchronized; processes: a lock file next to the folder) and against interrupted ones (the marker is written last; without it the folder is
     * emptied and extracted again).
     *
     * @return whether files were extracted (false: a complete extraction was found)
     */
    static synchronized boolean extract(JarFile jar, String prefix, Path folder) throws IOException {
        Files.createDirectories(folder.getParent());
        Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            if (Files.exists(folder.resolve(MARKER))) {
                return false;
            }
            deleteTree(folder);
            Files.createDirectories(folder);
            List<String> names = new ArrayList<>();
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().startsWith(prefix)) {
                    continue;
                }
                String name = e.getName().substring(prefix.length());
                if (name.contains("/") || name.isEmpty()) {
                    continue;
                }
                Path tmp = folder.resolve(name + ".part");
                try (InputStream in = jar.getInputStream(e)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                names.add(name);
            }
            if (names.isEmpty()) {
                throw new IOException("no files under " + prefix + " in " + jar.getName());
            }
            Files.writeString(folder.resolve(MARKER), String.join("\n", names) + "\n", StandardCharsets.UTF_8);
            return true;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
