package org.sdd4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sdd4j.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows (and clears) the library's cache. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Show the cache folders and their sizes: the library's ($SDD_CACHE_DIR, else"
            + " <user.home>/.cache/sdd4j: the embedded models, TensorFlow natives) and DJL's ($DJL_CACHE_DIR, else"
            + " <user.home>/.djl.ai: PyTorch natives). --clear empties the library's; DJL's is left to you."})
final class CacheCommand implements Callable<Integer> {

    /** What the library writes into its cache folder (nothing else there is touched). */
    static final List<String> LIBRARY_ENTRIES = List.of("models", "tensorflow");

    @Option(names = "--clear", description = "Delete what the library cached (models, tensorflow); rebuilt on demand.")
    boolean clear;

    static Path djlCache() {
        String env = System.getenv("DJL_CACHE_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".djl.ai");
    }

    static long size(Path p) {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Integer call() throws IOException {
        Path sdd = AtomicFiles.cacheRoot();
        System.out.printf(Locale.ROOT, "%-8s %-60s %8.1f MB%n", "sdd", sdd, size(sdd) / 1e6);
        if (Files.isDirectory(sdd)) {
            try (Stream<Path> s = Files.list(sdd)) {
                for (Path p : s.sorted().toList()) {
                    System.out.printf(Locale.ROOT, "  %-66s %8.1f MB%n", p.getFileName(), size(p) / 1e6);
                }
            }
        }
        Path djl = djlCache();
        System.out.printf(Locale.ROOT, "%-8s %-60s %8.1f MB%n", "djl", djl, size(djl) / 1e6);
        if (clear) {
            if (!Files.isDirectory(sdd)) {
                System.out.println("nothing to clear in " + sdd);
                return 0;
            }
            // only the entries the library creates: SDD_CACHE_DIR may point at a folder that holds other things
            for (String entry : LIBRARY_ENTRIES) {
                AtomicFiles.deleteRecursively(sdd.resolve(entry));
            }
            System.out.println("cleared " + LIBRARY_ENTRIES + " in " + sdd + " (DJL's cache " + djl
                    + " is DJL's: remove it yourself if you want)");
        }
        return 0;
    }
}
