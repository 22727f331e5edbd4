package org.sdd4j.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.modality.cv.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.Backends;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/**
 * The contract every SDD backend keeps, as JUnit 5 tests. A plug-in author tests a backend with one
 * class:
 *
 * <pre>{@code
 * class AcmeBackendTest extends BackendContract {
 *     protected SddBackend backend() { return new AcmeBackend(); }
 * }
 * }</pre>
 *
 * <p>Tests that need a working backend are skipped (not failed) when it reports itself unavailable,
 * with its reason; availability itself must be honest. Editing is checked against outputs of the
 * reference (PyTorch) backend on a tiny bundle shipped in this jar.
 */
public abstract class BackendContract {

    /** The backend under test, created the way {@link java.util.ServiceLoader} would. */
    protected abstract SddBackend backend();

    /**
     * The folder this backend loads as an editor, made from the kit's reference bundle. The default is
     * the bundle itself; a backend that serves another format converts it here (for example with its
     * own {@link SddBackend#exportEditor}).
     *
     * @param referenceBundle the kit's bundle, copied to a scratch folder
     * @param scratch a folder for conversions
     * @return the folder to pass to {@link SddBackend#loadEditor}
     */
    protected Path editorFolder(Path referenceBundle, Path scratch) {
        return referenceBundle;
    }

    /** Largest allowed difference from the reference outputs, in 8-bit levels (rounding may differ by one). */
    protected int tolerance() {
        return 1;
    }

    @TempDir
    Path scratch;

    private SddBackend available() {
        SddBackend b = backend();
        assumeTrue(b.isAvailable(), () -> "backend " + b.name() + " is unavailable here: "
                + b.unavailableReason().orElse("(no reason given)"));
        return b;
    }

    private Editor loadReference() {
        Path bundle = TckFixtures.copy("editor", scratch.resolve("bundle"));
        return available().loadEditor(editorFolder(bundle, scratch.resolve("converted")));
    }

    @Test
    void nameIsLowerCaseAndRankIsStable() {
        SddBackend b = backend();
        assertThat(b.name()).as("name()").isNotBlank().isEqualTo(b.name().toLowerCase(Locale.ROOT))
                .matches("[a-z0-9][a-z0-9_-]*");
        assertThat(b.rank()).as("rank() must not change between calls").isEqualTo(b.rank());
        assertThat(Backends.all()).as("discoverable through META-INF/services/" + SddBackend.class.getName())
                .extracting(SddBackend::name).contains(b.name());
    }

    @Test
    void availabilityIsHonest() {
        SddBackend b = backend();
        boolean ok = b.isAvailable();
        assertThat(b.unavailableReason()).as("unavailableReason() must be empty exactly when isAvailable()")
                .matches(r -> r.isEmpty() == ok);
        if (!ok) {
            assertThat(b.unavailableReason().get()).as("the reason must say something").isNotBlank();
            assertThatThrownBy(() -> b.loadEditor(scratch), "an unavailable backend refuses to load")
                    .isInstanceOf(RuntimeException.class);
        } else {
            assertThat(b.device()).as("device() of an available backend").isNotBlank();
            assertThat(b.capabilities()).as("capabilities() of an available backend").isNotNull();
        }
    }

    @Test
    void trainingCapabilityIsTrue() throws IOException {
        SddBackend b = available();
        Capabilities c = b.capabilities();
        if (!c.training()) {
            assertThatThrownBy(b::newDistiller, "a backend that says training: no must refuse to distil")
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageFindingMatch("\\S");
            return;
        }
        assumeTrue(c.teacherFormats().contains("sdd-unet"), "the kit's teacher is an sdd-unet folder");
        Path teacherDir = TckFixtures.copy("teacher", scratch.resolve("teacher"));
        try (DiffusionTeacher teacher = b.loadTeacher(teacherDir)) {
            DistillOptions o = DistillOptions.builder().steps(3).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                    .previewEvery(0).build();
            Path out = scratch.resolve("distilled");
            // on a thread other than the one that started the engine (a server's worker, a Spark task)
            java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                worker.submit(() -> b.newDistiller().distill(new DistillRequest("smiling", "a smiling face", "",
                        teacher, TckFixtures.data(), TimestepSelection.fixed("a smiling face", List.of(300, 500)), o,
                        out, null, null))).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError("distillation on a worker thread failed: " + e.getCause(), e);
            } finally {
                worker.shutdown();
            }
            try (Editor e = b.loadEditor(out)) {
                assertThat(e.edits()).as("the distilled bundle loads").containsExactly("smiling");
            }
        }
    }

    @Test
    void editsMatchTheReferenceBackend() {
        try (Editor e = loadReference()) {
            assertThat(e.edits()).containsExactly(TckFixtures.EDIT);
            for (String name : TckFixtures.INPUTS) {
                Image out = e.edit(TckFixtures.image("inputs/" + name), TckFixtures.EDIT);
                int diff = TckFixtures.maxDifference(out, TckFixtures.image("expected/" + name));
                assertThat(diff).as("largest difference from the reference edit of %s (8-bit levels)", name)
                        .isLessThanOrEqualTo(tolerance());
            }
        }
    }

    @Test
    void unknownEditIsAnIllegalArgumentNamingTheKnownOnes() {
        try (Editor e = loadReference()) {
            assertThatThrownBy(() -> e.edit(TckFixtures.image("inputs/" + TckFixtures.INPUTS.get(0)), "no such edit"),
                    "an unknown edit must be an IllegalArgumentException naming the known ones")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TckFixtures.EDIT);
        }
    }

    @Test
    void editIsThreadSafe() throws Exception {
        try (Editor e = loadReference()) {
            List<Image> in = new ArrayList<>();
            for (String name : TckFixtures.INPUTS) {
                in.add(TckFixtures.image("inputs/" + name));
            }
            List<Image> sequential = new ArrayList<>();
            for (Image im : in) {
                sequential.add(e.edit(im, TckFixtures.EDIT));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Image>> futures = new ArrayList<>();
                for (int rep = 0; rep < 8; rep++) {
                    for (Image im : in) {
                        futures.add(pool.submit(() -> e.edit(im, TckFixtures.EDIT)));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(TckFixtures.maxDifference(futures.get(i).get(), sequential.get(i % in.size())))
                            .as("an edit from 8 threads at once equals the sequential one").isZero();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Native memory must not grow with every load: after a warm-up of 400 rounds, resident memory outside the Java heap
     * is sampled after each of six blocks of 40 load/edit/close rounds. A leak grows block after block;
     * the allocator's and the JVM's own fluctuations (tens of megabytes either way) do not. The rule fails
     * when every block grew on the one before and the total growth exceeds 64 MB (a leak of about a quarter
     * megabyte per load).
     */
    @Test
    void memoryStaysFlatOverRepeatedLoadsAndEdits() {
        Image in = TckFixtures.image("inputs/" + TckFixtures.INPUTS.get(0));
        Path bundle = TckFixtures.copy("editor", scratch.resolve("bundle"));
        SddBackend b = available();
        Path folder = editorFolder(bundle, scratch.resolve("converted"));
        long[] samples = new long[7];
        // ten warm-up blocks: the native allocator's arenas and the JIT settle over the first rounds (measured
        // with the PyTorch backend over 43 blocks: +75 MB over the first eight, then flat within +-30 MB for the
        // remaining 35), which is not a leak
        for (int block = -10; block < 6; block++) {
            for (int round = 0; round < 40; round++) {
                try (Editor e = b.loadEditor(folder)) {
                    for (int i = 0; i < 5; i++) {
                        e.edit(in, TckFixtures.EDIT);
                    }
                }
            }
            System.gc();
            if (block >= -1) {
                samples[block + 1] = TckFixtures.residentMb();
            }
        }
        assumeTrue(samples[0] > 0, "resident memory is only readable on Linux");
        boolean growing = true;
        for (int k = 2; k < samples.length; k++) {
            growing &= samples[k] > samples[k - 1];
        }
        long growth = samples[samples.length - 1] - samples[1];
        System.out.printf("%s: resident memory outside the Java heap per block of 40 rounds: %s MB%n", b.name(),
                java.util.Arrays.toString(samples));
        assertThat(growing && growth > 64).as("resident memory growth outside the Java heap over 240 load/edit/close"
                + " rounds: %s MB per block of 40 (steady growth of %d MB)", java.util.Arrays.toString(samples), growth)
                .isFalse();
    }

    @Test
    void aDamagedBundleIsRefusedWithAClearMessage() throws IOException {
        Path bundle = TckFixtures.copy("editor", scratch.resolve("bundle"));
        Path folder = editorFolder(bundle, scratch.resolve("converted"));
        SddBackend b = available();
        Path largest;
        try (var files = Files.walk(folder)) {
            largest = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("manifest.json"))
                    .max((p, q) -> Long.compare(p.toFile().length(), q.toFile().length()))
                    .orElseThrow(() -> new AssertionError("the editor folder " + folder + " has no weight file"));
        }
        byte[] bytes = Files.readAllBytes(largest);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(largest, bytes);
        try (Editor e = b.loadEditor(folder)) {
            fail("a bundle with a damaged file (" + largest.getFileName() + ") was loaded");
        } catch (IllegalArgumentException | IllegalStateException ex) {
            assertThat(ex.getMessage()).as("the message names what is wrong").isNotBlank()
                    .containsAnyOf("damaged", "checksum", "SHA-256", largest.getFileName().toString());
        }
    }
}
