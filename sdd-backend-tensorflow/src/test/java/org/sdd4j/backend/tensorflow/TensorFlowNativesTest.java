package org.sdd4j.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowNativesTest {

    @TempDir
    Path tmp;

    private Path jar() throws Exception {
        Path jar = tmp.resolve("natives.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("libjnitensorflow.so", "libtensorflow_cc.so.2", "LICENSE")) {
                out.putNextEntry(new JarEntry(TensorFlowNatives.RESOURCE_DIR + name));
                out.write(("contents of " + name).repeat(1000).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("org/other/file.txt"));
            out.write(1);
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void extractsOnceAndMarksCompletion() throws Exception {
        Path folder = tmp.resolve("cache").resolve("tf");
        try (JarFile jar = new JarFile(jar().toFile())) {
            assertThat(TensorFlowNatives.extract(jar, TensorFlowNatives.RESOURCE_DIR, folder)).isTrue();
            assertThat(folder.resolve("libtensorflow_cc.so.2")).hasContent("contents of libtensorflow_cc.so.2"
                    .repeat(1000));
            assertThat(folder.resolve(TensorFlowNatives.MARKER)).exists();
            assertThat(folder.resolve("file.txt")).doesNotExist();
            assertThat(TensorFlowNatives.extract(jar, TensorFlowNatives.RESOURCE_DIR, folder)).isFalse();
        }
    }

    @Test
    void aHalfFinishedExtractionIsRedone() throws Exception {
        Path folder = tmp.resolve("cache").resolve("tf");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("libjnitensorflow.so"), "trunc"); // interrupted: no marker
        try (JarFile jar = new JarFile(jar().toFile())) {
            assertThat(TensorFlowNatives.extract(jar, TensorFlowNatives.RESOURCE_DIR, folder)).isTrue();
        }
        assertThat(folder.resolve("libjnitensorflow.so")).hasContent("contents of libjnitensorflow.so".repeat(1000));
    }

    @Test
    void concurrentCallersExtractOnce() throws Exception {
        Path folder = tmp.resolve("cache").resolve("tf");
        Path jarPath = jar();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Boolean> task = () -> {
                    try (JarFile jar = new JarFile(jarPath.toFile())) {
                        return TensorFlowNatives.extract(jar, TensorFlowNatives.RESOURCE_DIR, folder);
                    }
                };
                results.add(pool.submit(task));
            }
            int extracted = 0;
            for (Future<Boolean> f : results) {
                extracted += f.get() ? 1 : 0;
            }
            assertThat(extracted).isEqualTo(1);
            assertThat(Files.readString(folder.resolve(TensorFlowNatives.MARKER)).lines()).hasSize(3);
        } finally {
            pool.shutdownNow();
        }
    }
}
