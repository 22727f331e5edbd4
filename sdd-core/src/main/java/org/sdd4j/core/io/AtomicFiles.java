package org.sdd4j.core.io;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Atomic writes (a temporary file beside the target, then a rename): a crash never leaves half a
 * file. Temporary files and folders are created with the process's default permissions (so the
 * umask decides, as for any other file), never with the owner-only defaults of
 * {@link Files#createTempFile}. A rename replaces a symbolic link at the target, never the file it
 * points to.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Something that writes a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a folder. */
    @FunctionalInterface
    public interface FolderWriter {
        /** Writes files into {@code folder}. */
        void fill(Path folder) throws IOException;
    }

    /** A random hex string of {@code bytes} bytes, for unique names. */
    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Creates a new empty hidden temporary file in {@code dir}, honouring the umask. */
    public static Path newTempFile(Path dir, String stem) throws IOException {
        requireFolder(dir);
        return Files.createFile(dir.resolve("." + stem + "." + randomHex(6) + ".tmp"));
    }

    /** Creates a new empty hidden temporary folder in {@code dir}, honouring the umask. */
    public static Path newTempFolder(Path dir, String stem) throws IOException {
        requireFolder(dir);
        return Files.createDirectory(dir.resolve("." + stem + "." + randomHex(6) + ".tmp"));
    }

    /** Creates a folder (and its parents) or fails with "not a folder" naming the file in the way. */
    private static void requireFolder(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new java.nio.file.NotDirectoryException(p.toString());
                }
                break;
            }
        }
        Files.createDirectories(dir);
    }

    /** Writes a file atomically: the target is either the old or the complete new content. */
    public static void write(Path target, Writer writer) {
        publish(target, writer, true);
    }

    /** Writes bytes atomically. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes a file atomically, refusing to replace anything already at the target (also a link or
     * a file another process created meanwhile).
     *
     * @throws UncheckedIOException wrapping {@link FileAlreadyExistsException} if the target exists
     */
    public static void writeNew(Path target, Writer writer) {
        publish(target, writer, false);
    }

    private static void publish(Path target, Writer writer, boolean replace) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path tmp = newTempFile(dir, target.getFileName().toString());
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                if (replace) {
                    move(tmp, target);
                } else {
                    linkNew(tmp, target);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            if (!target.toString().equals(e.getFile())) {
                throw new UncheckedIOException("could not write " + target + ": " + Messages.describe(e), e);
            }
            throw new UncheckedIOException(target + " already exists (it appeared while writing, or was there"
                    + " before); nothing was overwritten", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + Messages.describe(e), e);
        }
    }

    /** Gives {@code tmp} the name {@code target} only if nothing is there: a hard link fails atomically. */
    private static void linkNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileAlreadyExistsException fae) {
                throw fae;
            }
            // file systems without hard links: check, then rename (not atomic against a racing writer)
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target);
        }
    }

    /**
     * Creates a folder that must not exist yet (or be empty): fills a hidden sibling, then renames it
     * into place, so the folder appears complete or not at all. Nothing existing is replaced.
     *
     * @throws IllegalArgumentException if the target exists and is not an empty folder
     */
    public static void createFolder(Path target, FolderWriter filler) {
        Path abs = target.toAbsolutePath();
        try {
            Path tmp = newTempFolder(abs.getParent(), abs.getFileName().toString());
            try {
                filler.fill(tmp);
                try {
                    // rename(2) replaces only an empty folder; a non-empty one makes it fail
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException e) {
                    throw new IllegalArgumentException(target + " appeared while it was being written and is not"
                            + " empty; nothing there was changed", e);
                }
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create folder " + target + ": " + Messages.describe(e), e);
        }
    }

    /** Renames atomically, replacing what is at {@code to} (a link there is replaced, not followed). */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a file or folder tree if it exists; never follows links out of it. Only for trees the
     * library created itself (temporary folders, its own cache entries).
     */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
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
            throw new UncheckedIOException("could not read " + file + ": " + Messages.describe(e), e);
        }
    }

    /**
     * SHA-256 of a file, or of a folder tree (its sorted relative paths and their files' hashes), for
     * manifests that list folders such as SavedModels.
     */
    public static String sha256Tree(Path fileOrFolder) {
        if (!Files.isDirectory(fileOrFolder, LinkOption.NOFOLLOW_LINKS)) {
            return sha256(fileOrFolder);
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(fileOrFolder)) {
            for (Path q : walk.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(fileOrFolder.relativize(q).toString().replace('\\', '/')).append('\0').append(sha256(q))
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + fileOrFolder + ": " + Messages.describe(e), e);
        }
        return Hashing.sha256().hashString(sb, java.nio.charset.StandardCharsets.UTF_8).toString();
    }

    /** The library's cache folder: {@code $SDD_CACHE_DIR}, or {@code ~/.cache/sdd4j}. */
    public static Path cacheRoot() {
        String env = System.getenv("SDD_CACHE_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "sdd4j");
    }
}
