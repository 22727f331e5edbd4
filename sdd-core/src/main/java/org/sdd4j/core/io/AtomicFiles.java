package org.sdd4j.core.io;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Atomic writes (temporary file, then rename) and checksums: a crash never leaves half a file. */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Something that writes a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    /** Writes a file atomically: the target is either the old or the complete new content. */
    public static void write(Path target, Writer writer) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces a whole folder atomically: fills a sibling temporary folder, then swaps it in.
     *
     * @param target the folder to create or replace
     * @param filler writes the folder's content into the folder it is given
     */
    public static void writeFolder(Path target, FolderWriter filler) {
        try {
            Path abs = target.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
            Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
            try {
                filler.fill(tmp);
                deleteRecursively(old);
                if (Files.exists(abs)) {
                    move(abs, old);
                }
                move(tmp, abs);
                deleteRecursively(old);
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write folder " + target + ": " + e.getMessage(), e);
        }
    }

    /** Fills a folder. */
    @FunctionalInterface
    public interface FolderWriter {
        /** Writes files into {@code folder}. */
        void fill(Path folder) throws IOException;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or folder tree if it exists. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) {
        try {
            return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The library's cache folder: {@code $SDD_CACHE_DIR}, or {@code ~/.cache/sdd4j}. */
    public static Path cacheRoot() {
        String env = System.getenv("SDD_CACHE_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "sdd4j");
    }
}
