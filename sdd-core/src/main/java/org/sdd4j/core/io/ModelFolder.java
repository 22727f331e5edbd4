package org.sdd4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a model folder (editor bundle, teacher, oracle, export) without ever losing a file.
 *
 * <p>The folder's {@code manifest.json} is the switch. Its {@code files} object lists every file the
 * library wrote there, with its SHA-256. New content goes into new files named after their content
 * ({@code <stem>-<sha256 prefix>.<ext>}), beside the old ones; then the manifest is replaced
 * atomically; only then are the files the old manifest listed and the new one does not removed. A
 * crash at any point leaves the old manifest with its files, or the new one with its files.
 *
 * <p>A folder that does not exist is built in a hidden sibling and renamed into place. An existing
 * folder is used only if it is empty or holds a manifest of the same format and version; any other
 * folder is refused, unless {@code force}, which adds the model files beside what is there and still
 * never replaces or deletes a file the library did not list in its manifest.
 */
public final class ModelFolder implements AutoCloseable {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    /** Test hook: called with the name of each step so a test can stop the protocol there. */
    static Consumer<String> stepHook = s -> {};

    private final Path target;
    private final String kind;
    private final Path dir;
    private final boolean staging;
    private final JsonNode previous;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<Path> created = new ArrayList<>();
    private boolean committed;

    private ModelFolder(Path target, String kind, Path dir, boolean staging, JsonNode previous) {
        this.target = target;
        this.kind = kind;
        this.dir = dir;
        this.staging = staging;
        this.previous = previous;
    }

    /**
     * Opens a folder for writing.
     *
     * @param target the folder (created if missing)
     * @param format the manifest format name, e.g. {@code sdd-editor}
     * @param version the manifest format version
     * @param kind what the folder is, for messages, e.g. {@code "editor bundle"}
     * @param force use a non-empty folder that is not of this kind (adding files beside its content)
     * @return the writer
     * @throws IllegalArgumentException if the folder may not be used, saying why and what to do
     */
    public static ModelFolder open(Path target, String format, int version, String kind, boolean force) {
        Path abs = target.toAbsolutePath().normalize();
        JsonNode previous = check(target, format, version, kind, force);
        try {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                return new ModelFolder(abs, kind, AtomicFiles.newTempFolder(abs.getParent(),
                        abs.getFileName().toString()), true, null);
            }
            return new ModelFolder(abs, kind, abs, false, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + target + " for the " + kind + ": "
                    + Messages.describe(e), e);
        }
    }

    /**
     * Checks, without writing anything, that {@link #open} would accept the folder (so that a long run
     * can fail before it starts).
     *
     * @return the folder's current manifest, or null if it has none
     * @throws IllegalArgumentException if the folder may not be used
     */
    public static JsonNode check(Path target, String format, int version, String kind, boolean force) {
        Path abs = target.toAbsolutePath().normalize();
        try {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            if (!Files.isDirectory(abs)) {
                throw new IllegalArgumentException(target + " exists and is not a folder; choose a folder for the "
                        + kind);
            }
            Path manifest = abs.resolve(MANIFEST);
            if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
                JsonNode m;
                try {
                    m = Json.read(manifest);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(target + " holds a " + MANIFEST + " that is not a readable"
                            + " manifest (" + e.getMessage() + "); it is left alone: choose another folder for the "
                            + kind, e);
                }
                String f = m.path("format").asText("");
                if (!format.equals(f)) {
                    throw new IllegalArgumentException(target + " holds a manifest of format '" + f + "', not "
                            + withArticle(kind) + " ('" + format + "'); it is left alone: choose another folder");
                }
                int v = m.path("formatVersion").asInt(-1);
                if (v != version) {
                    throw new IllegalArgumentException(target + " is a " + kind + " of format version " + v
                            + "; this library writes version " + version + " and will not change it: choose"
                            + " another folder");
                }
                return m;
            }
            List<String> entries = visibleEntries(abs);
            if (!entries.isEmpty() && !force) {
                throw new IllegalArgumentException(target + " exists, is not empty and is not " + withArticle(kind)
                        + " (it holds "
                        + entries.size() + " entries, e.g. " + entries.subList(0, Math.min(3, entries.size()))
                        + "); choose a new or empty folder, or pass --force to add the " + kind
                        + " files beside them (nothing there is replaced or deleted)");
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + target + " for the " + kind + ": "
                    + Messages.describe(e), e);
        }
    }

    private static List<String> visibleEntries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.matches("\\..*\\.[0-9a-f]{12}\\.tmp"))
                    .sorted().toList();
        }
    }

    /** The manifest this write replaces, or null if the folder has none yet. */
    public JsonNode previous() {
        return previous;
    }

    /** The folder being written. */
    public Path target() {
        return target;
    }

    /**
     * Writes one file, named after its content.
     *
     * @param stem the name's stem, e.g. {@code smiling}
     * @param extension the extension without dot, e.g. {@code params}
     * @param writer writes the content
     * @return the file's name in the folder
     */
    public String addFile(String stem, String extension, AtomicFiles.Writer writer) {
        requireOpen();
        try {
            Path tmp = AtomicFiles.newTempFile(dir, stem);
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                String sha = AtomicFiles.sha256(tmp);
                String name = contentName(stem, sha) + "." + extension;
                publish(tmp, dir.resolve(name), sha);
                files.put(name, sha);
                stepHook.accept("file-written");
                return name;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write into " + target + ": " + Messages.describe(e), e);
        }
    }

    /** Writes a block's parameters (DJL's format) as one content-named file; returns its name. */
    public String addParameters(String stem, ai.djl.nn.Block block) {
        return addFile(stem, "params", raw -> {
            java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(raw));
            block.saveParameters(out);
            out.flush();
        });
    }

    /**
     * Writes a trained block as a model folder of one weights file, switched atomically: a manifest with the
     * format, version, {@code fields} (in order) and {@code weights}, the file's name.
     *
     * @param stem the weights file's name stem
     */
    public static void writeModel(Path out, String format, int version, String kind, boolean force, String stem,
            ai.djl.nn.Block block, ObjectNode fields) {
        try (ModelFolder folder = open(out, format, version, kind, force)) {
            String weights = folder.addParameters(stem, block);
            ObjectNode man = Json.object();
            man.put("format", format);
            man.put("formatVersion", version);
            man.setAll(fields);
            man.put("weights", weights);
            folder.commit(man);
        }
    }

    /**
     * Writes one sub-folder (e.g. a SavedModel), named after its content.
     *
     * @param stem the name's stem
     * @param writer fills the folder
     * @return the folder's name in the folder
     */
    public String addFolder(String stem, AtomicFiles.FolderWriter writer) {
        requireOpen();
        try {
            Path tmp = AtomicFiles.newTempFolder(dir, stem);
            try {
                writer.fill(tmp);
                String sha = AtomicFiles.sha256Tree(tmp);
                String name = contentName(stem, sha);
                Path dest = dir.resolve(name);
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    requireSame(dest, sha);
                } else {
                    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                    created.add(dest);
                }
                files.put(name, sha);
                stepHook.accept("file-written");
                return name;
            } finally {
                AtomicFiles.deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write into " + target + ": " + Messages.describe(e), e);
        }
    }

    /**
     * Keeps a file of the previous manifest in the new one (for example another edit's weights).
     *
     * @param name the file's name as the previous manifest lists it
     */
    public void keep(String name) {
        requireOpen();
        String sha = previous == null ? null : previous.path("files").path(name).asText(null);
        if (sha == null) {
            throw new IllegalArgumentException(target + ": the " + kind + "'s manifest does not list '" + name + "'");
        }
        files.put(name, sha);
    }

    private void publish(Path tmp, Path dest, String sha) throws IOException {
        try {
            Files.createLink(dest, tmp);
            created.add(dest);
        } catch (FileAlreadyExistsException e) {
            requireSame(dest, sha);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                requireSame(dest, sha);
            } else {
                Files.move(tmp, dest);
                created.add(dest);
            }
        }
    }

    private void requireSame(Path dest, String sha) {
        // a name carries its content's hash, so an existing file of that name is the same content
        if (Files.isSymbolicLink(dest) || !sha.equals(AtomicFiles.sha256Tree(dest))) {
            throw new IllegalStateException(dest + " exists with other content; it was not written by this library"
                    + " and is left alone");
        }
    }

    private static String contentName(String stem, String sha) {
        return stem.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + sha.substring(0, 16);
    }

    /** "an editor bundle", "a teacher folder". */
    static String withArticle(String kind) {
        return ("aeiou".indexOf(Character.toLowerCase(kind.charAt(0))) >= 0 ? "an " : "a ") + kind;
    }

    /** A short hash of a name, so that names differing only in punctuation get different files. */
    public static String nameHash(String name) {
        return Hashing.sha256().hashString(name, StandardCharsets.UTF_8).toString().substring(0, 8);
    }

    /**
     * Switches the folder to the new content: writes the manifest (with the {@code files} list) atomically,
     * then removes the files only the previous manifest listed.
     *
     * @param manifest the new manifest (its {@code files} field is set here)
     */
    public void commit(ObjectNode manifest) {
        requireOpen();
        manifest.set("files", Json.tree(files));
        try {
            if (staging) {
                Json.write(dir.resolve(MANIFEST), manifest);
                stepHook.accept("before-switch");
                try {
                    Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException e) {
                    throw new IllegalArgumentException(target + " appeared while the " + kind + " was being written"
                            + " and is not empty; it was left alone", e);
                }
            } else {
                stepHook.accept("before-switch");
                Json.write(target.resolve(MANIFEST), manifest);
                stepHook.accept("after-switch");
                removeSuperseded();
            }
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the " + kind + " " + target + ": " + Messages.describe(e),
                    e);
        }
    }

    private void removeSuperseded() throws IOException {
        if (previous == null) {
            return;
        }
        Iterator<String> it = previous.path("files").fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            if (!files.containsKey(name)) {
                try {
                    AtomicFiles.deleteRecursively(Confined.resolve(target, name, kind));
                } catch (IllegalArgumentException e) {
                    // a listed path that leads out of the folder is never followed, let alone deleted
                }
            }
        }
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("the " + kind + " " + target + " was already written");
        }
    }

    /** Abandons an uncommitted write: removes only what this write created. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            if (staging) {
                AtomicFiles.deleteRecursively(dir);
            } else {
                for (Path p : created) {
                    if (previous == null || !previous.path("files").has(p.getFileName().toString())) {
                        AtomicFiles.deleteRecursively(p);
                    }
                }
            }
        } catch (IOException e) {
            // best effort: leftovers are content-named files no manifest lists
        }
        committed = true;
    }

    /**
     * Reads a model folder's manifest and checks it: format, version, and every listed file's path
     * (inside the folder) and SHA-256.
     *
     * @param folder the folder
     * @param format the expected format
     * @param version the supported version
     * @param kind what the folder is, for messages
     * @return the manifest
     * @throws IllegalArgumentException naming what is wrong
     */
    public static JsonNode readVerified(Path folder, String format, int version, String kind) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(kind + " " + folder + " does not exist or is not a folder");
        }
        Path mf = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new IllegalArgumentException(folder + " is not " + withArticle(kind) + ": it has no " + MANIFEST);
        }
        JsonNode m = Json.read(mf);
        String f = m.path("format").asText("");
        if (!format.equals(f)) {
            throw new IllegalArgumentException(folder + " is not " + withArticle(kind) + " (format '" + f + "', expected '"
                    + format + "')");
        }
        int v = m.path("formatVersion").asInt(-1);
        if (v != version) {
            throw new IllegalArgumentException(kind + " " + folder + " has format version " + v
                    + "; this library reads version " + version);
        }
        JsonNode listed = m.path("files");
        if (!listed.isObject() || listed.isEmpty()) {
            throw new IllegalArgumentException(kind + " " + folder + " lists no files in its manifest");
        }
        Iterator<Map.Entry<String, JsonNode>> it = listed.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Path p = Confined.resolve(folder, e.getKey(), kind);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(kind + " " + folder + " lacks its file " + e.getKey());
            }
            String actual = AtomicFiles.sha256Tree(p);
            if (!actual.equals(e.getValue().asText())) {
                throw new IllegalArgumentException(e.getKey() + " in " + kind + " " + folder + " is damaged or was"
                        + " replaced: SHA-256 " + actual + " but the manifest says " + e.getValue().asText());
            }
        }
        return m;
    }

    /**
     * Checks a folder's manifest against a SHA-256 obtained elsewhere (for example published beside a
     * bundle shipped between machines): the manifest's own checksums detect damage to the weights, this
     * detects a changed manifest.
     *
     * @param folder the folder
     * @param expectedSha256 the expected SHA-256 of {@code manifest.json}, hex
     * @throws IllegalArgumentException if it differs
     */
    public static void requireManifestSha256(Path folder, String expectedSha256) {
        String actual = AtomicFiles.sha256(folder.resolve(MANIFEST));
        if (!actual.equalsIgnoreCase(expectedSha256.strip())) {
            throw new IllegalArgumentException(folder.resolve(MANIFEST) + " has SHA-256 " + actual + ", not the expected "
                    + expectedSha256.strip() + "; it was changed or is another bundle: not loading it");
        }
    }

    /**
     * A file the manifest names in one of its fields, resolved inside the folder; it must be listed in
     * {@code files} (so its checksum was verified).
     */
    public static Path listedFile(Path folder, JsonNode manifest, String name, String kind) {
        if (!manifest.path("files").has(name)) {
            throw new IllegalArgumentException(kind + " " + folder + " refers to '" + name + "', which its manifest"
                    + " does not list with a checksum");
        }
        return Confined.resolve(folder, name, kind);
    }
}
