package org.sdd4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.sdd4j.core.io.AtomicFiles;

/**
 * The teacher, oracle and autoencoder prior shipped inside this jar. They are copied once to a cache folder
 * ({@code ~/.cache/sdd4j/models/<name>-<sha prefix>}, or under {@code $SDD_CACHE_DIR}) because the loaders
 * read folders; the copy is checked against the manifest's checksums when it is loaded.
 */
public final class EmbeddedModels {

    /** The embedded text-conditional U-Net teacher. */
    public static final String TEACHER = "teacher";
    /** The embedded attribute oracle. */
    public static final String ORACLE = "oracle";
    /**
     * The embedded FaceWorld autoencoder prior (32 px, 8 latent channels; {@code sdd train-prior}, 4000 steps of 64,
     * held-out reconstruction 33.7 dB, the genuine smile's mouth 30.7 dB): what the {@code ae-latent} manipulators
     * edit in.
     */
    public static final String PRIOR = "prior";
    /**
     * The embedded FaceWorld guided upsampler (32 px to 128 and 256 px; {@code sdd train-upsampler}, 3000 steps of 8
     * crops, 19 min; inside held-out hidden regions 26.1 dB against bilinear 20.6): what put-back {@code LEARNED}
     * carries FaceWorld edits to larger images with ({@code --upsampler embedded}).
     */
    public static final String UPSAMPLER = "upsampler";
    /**
     * The embedded upsampler fine-tuned to FaceWorld's "smiling" recipe ({@code sdd train-upsampler --editor
     * --reverse-editor}, from {@link #UPSAMPLER}, with the demo's smiling editor and a "frowning" edit distilled with
     * the prompts swapped, both in the embedded prior; 3200 steps of 8 crops from 4,096 pairs): the demo's smile is
     * put back with it ({@code --upsampler embedded-smiling}).
     */
    public static final String SMILING_UPSAMPLER = "upsampler-smiling";

    private EmbeddedModels() {}

    private static List<String> files(String name) {
        return switch (name) {
            case TEACHER -> List.of("manifest.json", "teacher.params");
            case ORACLE -> List.of("manifest.json", "oracle.params");
            case PRIOR -> List.of("manifest.json", "prior-97f13d7fd44378db.params");
            case UPSAMPLER -> List.of("manifest.json", "upsampler-2afe2b4fcf235e82.params");
            case SMILING_UPSAMPLER -> List.of("manifest.json", "upsampler-d27c0fd38a761a11.params");
            default -> throw new IllegalArgumentException("no embedded model '" + name + "'; known: [teacher, oracle, prior,"
                    + " upsampler, upsampler-smiling]");
        };
    }

    /**
     * The folder an upsampler option names: {@code embedded} is FaceWorld's generic upsampler, {@code embedded-smiling}
     * the one fine-tuned to its "smiling" recipe; anything else is a folder.
     */
    public static Path upsampler(String value) {
        return switch (value) {
            case "embedded" -> folder(UPSAMPLER);
            case "embedded-smiling" -> folder(SMILING_UPSAMPLER);
            default -> Path.of(value);
        };
    }

    /** The folder of an embedded model, extracted if needed. */
    public static synchronized Path folder(String name) {
        String base = "/org/sdd4j/examples/models/" + name + "/";
        byte[] manifest = read(base + "manifest.json");
        String id = com.google.common.hash.Hashing.sha256().hashBytes(manifest).toString().substring(0, 16);
        Path cache = AtomicFiles.cacheRoot().resolve("models");
        Path dir = cache.resolve(name + "-" + id);
        if (Files.isRegularFile(dir.resolve("manifest.json"))) {
            return dir;
        }
        if (Files.exists(dir)) {
            throw new IllegalStateException("the model cache entry " + dir + " exists but has no manifest.json; it is"
                    + " left alone: remove it, or point SDD_CACHE_DIR at another folder");
        }
        AtomicFiles.createFolder(dir, tmp -> {
            for (String f : files(name)) {
                try (InputStream in = EmbeddedModels.class.getResourceAsStream(base + f)) {
                    if (in == null) {
                        throw new IOException("the jar lacks " + base + f);
                    }
                    Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        });
        return dir;
    }

    private static byte[] read(String resource) {
        try (InputStream in = EmbeddedModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the embedded model " + resource + " is not in this build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
