package org.sdd4j.core.data;

import ai.djl.modality.cv.ImageFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.io.Confined;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.nn.TextEncoder;

/**
 * A user's images with captions, listed in a CSV file ({@code file,caption}, optional header, the
 * caption may be quoted) or a JSONL file ({@code {"file": ..., "caption": ...}} per line). Paths are
 * relative to the list file and must stay inside its folder (no {@code ..}, absolute paths or links
 * out), unless the list is opened with {@code allowOutside}. Every row is checked when the list is
 * opened.
 */
public final class CaptionedFolder implements TrainingData {

    private final Path list;
    private final List<Path> files;
    private final List<String> captions;

    private CaptionedFolder(Path list, List<Path> files, List<String> captions) {
        this.list = list;
        this.files = List.copyOf(files);
        this.captions = List.copyOf(captions);
    }

    /**
     * Opens and validates a list file.
     *
     * @throws IllegalArgumentException naming the first bad row: missing file, empty caption, bad syntax
     */
    public static CaptionedFolder open(Path list) {
        return open(list, false);
    }

    /**
     * Opens and validates a list file.
     *
     * @param list the list
     * @param allowOutside whether rows may name files outside the list's folder
     * @throws IllegalArgumentException naming the first bad row: missing file, empty caption, bad syntax, a
     *     path outside the folder
     */
    public static CaptionedFolder open(Path list, boolean allowOutside) {
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException("data list " + list + " does not exist (expected a .csv or .jsonl file"
                    + " of file,caption rows)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + list, e);
        }
        boolean jsonl = list.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        Path dir = list.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = list + ":" + (i + 1);
            String file;
            String caption;
            if (jsonl) {
                JsonNode n;
                try {
                    n = Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage());
                }
                file = n.path("file").asText("");
                caption = n.path("caption").asText("");
            } else {
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException(where + ": expected 'file,caption', got '" + line + "'");
                }
                file = line.substring(0, comma).strip();
                caption = unquote(line.substring(comma + 1).strip());
                if (i == 0 && file.equalsIgnoreCase("file") && caption.equalsIgnoreCase("caption")) {
                    continue;
                }
            }
            if (file.isEmpty()) {
                throw new IllegalArgumentException(where + ": the file name is empty");
            }
            if (caption.isBlank()) {
                throw new IllegalArgumentException(where + ": the caption of " + file + " is empty");
            }
            Path p;
            if (allowOutside) {
                p = dir.resolve(file);
            } else {
                try {
                    p = Confined.resolve(dir, file, "data list");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage() + " (allow it with"
                            + " --allow-outside-paths)", e);
                }
            }
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(where + ": image file " + p + " does not exist");
            }
            files.add(p);
            captions.add(caption);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("data list " + list + " has no rows");
        }
        return new CaptionedFolder(list, files, captions);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }

    /** All words of all captions, sorted: a text vocabulary for a teacher trained on this data. */
    public static List<String> vocabulary(TrainingData data) {
        TreeSet<String> words = new TreeSet<>();
        for (int i = 0; i < data.size(); i++) {
            String caption = data instanceof CaptionedFolder f ? f.captions.get(i) : data.get(i).caption();
            words.addAll(TextEncoder.words(caption));
        }
        return List.copyOf(words);
    }

    @Override
    public String caption(int index) {
        return captions.get(index);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public CaptionedImage get(int index) {
        Path p = files.get(index);
        BufferedImage img = ImageFiles.read(p);
        return new CaptionedImage(ImageFactory.getInstance().fromImage(ImageTensors.toRgb(img)), captions.get(index));
    }

    @Override
    public String describe() {
        return "folder(" + list.toAbsolutePath() + ", n=" + files.size() + ")";
    }
}
