package org.sdd4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;

/**
 * An editor bundle: a folder with {@code manifest.json} and one weight file per edit. The manifest
 * records, per edit, the prompt, the manipulator, the SHA-256 of its weights, the timestep selection
 * and how it was trained. Adding an edit rewrites the folder atomically.
 */
public final class EditorBundle {

    /** The bundle format name. */
    public static final String FORMAT = "sdd-editor";
    /** The bundle format version this library reads and writes. */
    public static final int FORMAT_VERSION = 1;

    private EditorBundle() {}

    /**
     * Reads and checks a bundle's manifest: format, version, and the checksum of every weight file.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static JsonNode readVerified(Path bundle) {
        if (!Files.isDirectory(bundle)) {
            throw new IllegalArgumentException("editor bundle " + bundle + " does not exist or is not a folder");
        }
        JsonNode m = Json.read(bundle.resolve("manifest.json"));
        if (!FORMAT.equals(m.path("format").asText())) {
            throw new IllegalArgumentException(bundle + " is not an editor bundle (format '" + m.path("format").asText()
                    + "', expected '" + FORMAT + "')");
        }
        int v = m.path("formatVersion").asInt(-1);
        if (v != FORMAT_VERSION) {
            throw new IllegalArgumentException("editor bundle " + bundle + " has format version " + v
                    + "; this library reads version " + FORMAT_VERSION);
        }
        Iterator<Map.Entry<String, JsonNode>> it = m.path("edits").fields();
        if (!it.hasNext()) {
            throw new IllegalArgumentException("editor bundle " + bundle + " has no edits");
        }
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Path w = bundle.resolve(e.getValue().path("weights").asText());
            if (!Files.isRegularFile(w)) {
                throw new IllegalArgumentException("edit '" + e.getKey() + "' of " + bundle + " has no weight file " + w);
            }
            String expected = e.getValue().path("sha256").asText();
            String actual = AtomicFiles.sha256(w);
            if (!actual.equals(expected)) {
                throw new IllegalArgumentException("weights of edit '" + e.getKey() + "' (" + w + ") are damaged or were"
                        + " replaced: SHA-256 " + actual + " but the manifest says " + expected);
            }
        }
        return m;
    }

    /**
     * Adds (or replaces) one edit, atomically: the folder afterwards has the old edits and this one.
     *
     * @param bundle the bundle folder (created if missing)
     * @param edit the edit's name
     * @param entry the manifest entry (prompt, architecture, training, ...); weights and sha256 are filled in
     * @param weights the trained weight file to copy in
     * @param header top-level fields for a new bundle (resolution, teacher)
     */
    public static void addEdit(Path bundle, String edit, ObjectNode entry, Path weights, ObjectNode header) {
        ObjectNode manifest;
        if (Files.exists(bundle.resolve("manifest.json"))) {
            manifest = (ObjectNode) readVerified(bundle);
            JsonNode oldRes = manifest.path("resolution");
            if (!oldRes.isMissingNode() && oldRes.asInt() != header.path("resolution").asInt()) {
                throw new IllegalArgumentException("bundle " + bundle + " works at resolution " + oldRes.asInt()
                        + ", the new edit at " + header.path("resolution").asInt());
            }
        } else {
            manifest = Json.object();
            manifest.put("format", FORMAT);
            manifest.put("formatVersion", FORMAT_VERSION);
            manifest.setAll(header);
            manifest.putObject("edits");
        }
        String file = edit.replaceAll("[^A-Za-z0-9_.-]", "_") + ".params";
        entry.put("weights", file);
        entry.put("sha256", AtomicFiles.sha256(weights));
        ((ObjectNode) manifest.get("edits")).set(edit, entry);
        ObjectNode finalManifest = manifest;
        AtomicFiles.writeFolder(bundle, dir -> {
            if (Files.isDirectory(bundle)) {
                try (var files = Files.list(bundle)) {
                    for (Path p : files.toList()) {
                        if (Files.isRegularFile(p) && !p.getFileName().toString().equals("manifest.json")) {
                            Files.copy(p, dir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            Files.copy(weights, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            Json.write(dir.resolve("manifest.json"), finalManifest);
        });
    }

}
