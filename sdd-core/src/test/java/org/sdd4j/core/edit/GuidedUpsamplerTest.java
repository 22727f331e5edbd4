package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.DistillOptions;
import org.sdd4j.api.DistillRequest;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.api.PutBack;
import org.sdd4j.api.TimestepSelection;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.distill.SddDistiller;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

/** The learned guided upsampler: what it learns from, that it is exact where it should be, and how it travels. */
class GuidedUpsamplerTest extends EngineTest {

    private static final GuidedUpsampler.Options TINY = new GuidedUpsampler.Options(6, 2, 0.002f, 16, List.of(64), 32, 1);

    private static int[] pixels(BufferedImage b) {
        return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    }

    private static GuidedUpsampler untrained(GuidedUpsampler.Network network) {
        UpsamplerNet net = network.create();
        var m = manager.newSubManager();
        net.initialize(m);
        return GuidedUpsampler.of(m, (ps, x) -> net.apply(ps, x, false), 32, network);
    }

    /** A 32x32 CHW edit that brightens a rectangle round the mouth by 0.8. */
    private static float[] mouthBrightened(float[] y) {
        float[] edited = y.clone();
        for (int i = 0; i < edited.length; i++) {
            int p = i % (32 * 32);
            if (p / 32 > 18 && p / 32 < 24 && p % 32 > 10 && p % 32 < 22) {
                edited[i] = Math.max(-1, Math.min(1, edited[i] + 0.8f));
            }
        }
        return edited;
    }

    static java.util.stream.Stream<GuidedUpsampler.Network> networks() {
        return java.util.stream.Stream.of(GuidedUpsampler.Network.FIRST, GuidedUpsampler.Network.DEFAULT);
    }

    @Test
    void anExampleHidesTheOriginalInsideItsRegion() {
        BufferedImage a = new FaceWorld(3, 10, 64).face(1).image();
        GuidedUpsampler.Example e = GuidedUpsampler.example(a, 64, 16, 64, 0.1, 0, 0, 0, new SplittableRandom(4));
        int cc = 64 * 64;
        float[] ta = ImageTensors.toChw(a);
        int inside = 0;
        double outsideErr = 0;
        for (int p = 0; p < cc; p++) {
            inside += e.region()[p] ? 1 : 0;
            for (int c = 0; c < 3; c++) {
                assertThat(e.target()[c * cc + p]).isEqualTo(ta[c * cc + p]);
                if (e.region()[p]) {
                    // inside, the "original" is at least half the upsampled edit: what was there is hidden
                    float o = e.input()[(c + 3) * cc + p];
                    assertThat(Math.abs(o - e.input()[c * cc + p])).isLessThanOrEqualTo(Math.abs(o - ta[c * cc + p]) + 1e-6f);
                } else {
                    outsideErr += Math.abs(e.input()[(c + 3) * cc + p] - ta[c * cc + p]);
                }
            }
        }
        // the region is 12% to 42% of the edge each way; outside it the original is nearly the image itself
        assertThat(inside).isBetween(6 * 6, 28 * 28);
        assertThat(outsideErr / (3.0 * (cc - inside))).isLessThan(0.05);
        float[] hidden = GuidedUpsampler.hideRegion(new float[] {1, 1, 1, 1, 1, 1}, new float[] {0, 0, 0, 0, 0, 0},
                new float[] {0, 1});
        assertThat(hidden).containsExactly(1, 0, 1, 0, 1, 0);
    }

    @Test
    void trainingStainsChangeTheShrinkInsideTheHiddenRegionOnlyAndNeverTheTarget() {
        BufferedImage a = new FaceWorld(3, 10, 64).face(1).image();
        // the same rectangle with and without stains, and the crop is the whole image
        GuidedUpsampler.Example clean = GuidedUpsampler.example(a, 64, 16, 64, 0, 0, 0, 0, new SplittableRandom(4));
        GuidedUpsampler.Example stained = GuidedUpsampler.example(a, 64, 16, 64, 0, 0, 0.5, 0, new SplittableRandom(4));
        int cc = 64 * 64;
        assertThat(stained.target()).containsExactly(clean.target());
        assertThat(stained.region()).containsExactly(clean.region());
        double inside = 0;
        int insideCount = 0;
        for (int p = 0; p < cc; p++) {
            for (int c = 0; c < 3; c++) {
                float d = Math.abs(stained.input()[c * cc + p] - clean.input()[c * cc + p]);
                if (clean.region()[p]) {
                    inside += d;
                    insideCount++;
                }
                if (clean.input()[(c + 3) * cc + p] == clean.target()[c * cc + p]
                        && clean.input()[c * cc + p] != clean.target()[c * cc + p]) {
                    // where the original shows itself (nothing of the shrink mixed in), the stains cannot reach it
                    assertThat(stained.input()[(c + 3) * cc + p]).isEqualTo(clean.input()[(c + 3) * cc + p]);
                }
            }
        }
        assertThat(inside / insideCount).as("mean stain inside the hidden region").isGreaterThan(0.005);

        // one stain of a known size: its peak shift is at most `change` per channel, and it fades with distance
        int n = 16;
        float[] flat = new float[3 * n * n];
        GuidedUpsampler.stain(flat, n, 6, 6, 4, 4, 0.3, new SplittableRandom(7));
        float peak = 0;
        for (float v : flat) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertThat(peak).isGreaterThan(0f).isLessThanOrEqualTo(3 * 0.3f);
        assertThat(Math.abs(flat[0])).as("far corner").isLessThan(peak / 10);
        assertThatThrownBy(() -> TINY.withStain(-0.1)).hasMessageContaining("stain must be in [0, 2]");
        assertThat(TINY.withStain(0.4).stain()).isEqualTo(0.4);
        assertThat(TINY.withStain(0.4).withBlur(1).stain()).isEqualTo(0.4);
    }

    @Test
    void theTrainingBlurSpreadsAPointAsAGaussianAndKeepsItsMass() {
        int n = 15;
        float[] point = new float[3 * n * n];
        point[n * n + 7 * n + 7] = 1f; // green channel, centre
        float[] b = GuidedUpsampler.gaussianBlur(point, n, 1.0);
        double sum = 0;
        for (float v : b) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        // only the green channel moved; the weights fall off as exp(-d^2 / 2) along a row and are symmetric
        assertThat(b[7 * n + 7]).isZero();
        float centre = b[n * n + 7 * n + 7];
        assertThat(b[n * n + 7 * n + 8] / centre).isCloseTo((float) Math.exp(-0.5), org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(b[n * n + 7 * n + 9] / centre).isCloseTo((float) Math.exp(-2.0), org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(b[n * n + 6 * n + 7]).isEqualTo(b[n * n + 8 * n + 7]);
        // a flat image stays flat (edges repeated); no blur is the image itself
        float[] flat = new float[3 * n * n];
        java.util.Arrays.fill(flat, 0.25f);
        for (float v : GuidedUpsampler.gaussianBlur(flat, n, 2.0)) {
            assertThat(v).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(GuidedUpsampler.gaussianBlur(point, n, 0)).isSameAs(point);
        assertThatThrownBy(() -> TINY.withBlur(5)).hasMessageContaining("blur must be in [0, 4]");
        assertThat(TINY.withBlur(0.8).blur()).isEqualTo(0.8);
    }

    @Test
    void thickeningWidensALineInsideTheRectangleOnly() {
        int n = 16;
        int nn = n * n;
        float[] img = new float[3 * nn];
        java.util.Arrays.fill(img, 0.4f); // plain skin
        for (int x = 0; x < n; x++) { // a one-pixel red line on row 8
            img[8 * n + x] = 0.8f;
            img[nn + 8 * n + x] = -0.8f;
            img[2 * nn + 8 * n + x] = -0.7f;
        }
        // the rectangle covers columns 2-9 and rows 5-11
        float[] t = GuidedUpsampler.thicken(img, n, 2, 5, 8, 7, 0.5);
        for (int x = 2; x < 10; x++) {
            // the rows beside the line move half way to the red; the line stays; two rows off nothing changes
            assertThat(t[nn + 7 * n + x]).isCloseTo(0.5f * 0.4f + 0.5f * -0.8f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(t[nn + 9 * n + x]).isCloseTo(-0.2f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(t[nn + 8 * n + x]).isEqualTo(-0.8f);
            assertThat(t[nn + 6 * n + x]).isEqualTo(0.4f);
        }
        // outside the rectangle the image is as it was
        assertThat(t[nn + 7 * n + 12]).isEqualTo(0.4f);
        assertThat(t[nn + 7 * n + 0]).isEqualTo(0.4f);
        assertThat(GuidedUpsampler.thicken(img, n, 2, 5, 8, 7, 0)).containsExactly(img);
        // in a training example the thickening changes only the shrink (the target is the clean image)
        BufferedImage a = new FaceWorld(3, 1, 64).face(0).image();
        GuidedUpsampler.Example clean = GuidedUpsampler.example(a, 64, 16, 64, 0, 0, 0, 0, new SplittableRandom(4));
        GuidedUpsampler.Example thick = GuidedUpsampler.example(a, 64, 16, 64, 0, 0, 0, 1, new SplittableRandom(4));
        assertThat(thick.target()).containsExactly(clean.target());
        assertThatThrownBy(() -> TINY.withThicken(1.5)).hasMessageContaining("thicken must be in [0, 1]");
        assertThat(TINY.withThicken(0.6).withStain(0.1).thicken()).isEqualTo(0.6);
    }

    @Test
    void aboveEightTimesTheModelResolutionTheUpsamplerRunsAtEightTimesAndItsResultIsEnlarged() {
        long[] seen = new long[1];
        var m = manager.newSubManager();
        // a network that passes the upsampled edit through and counts the pixels it is given
        GuidedUpsampler.Net pass = (ps, x) -> {
            seen[0] += x.getShape().get(2) * x.getShape().get(3);
            return x.get(":, 0:3");
        };
        FaceWorld world = new FaceWorld(2, 10, 96);
        BufferedImage small = world.face(1).image();
        float[] y = ImageTensors.toChw(small, 32);
        float[] edited = mouthBrightened(y);
        try (GuidedUpsampler u = GuidedUpsampler.of(m, pass, 32, GuidedUpsampler.Network.DEFAULT)) {
            BufferedImage at256 = ImageTensors.resize(small, 256, 256);
            FullResolution.compose(at256, y, edited, 0, 32, FullResolution.Mode.LEARNED, u);
            long seenAt256 = seen[0];
            seen[0] = 0;
            BufferedImage at1024 = ImageTensors.resize(small, 1024, 1024);
            BufferedImage learned = FullResolution.compose(at1024, y, edited, 0, 32, FullResolution.Mode.LEARNED, u);
            // the same work as at 256 px, not sixteen times as much
            assertThat(seen[0]).isEqualTo(seenAt256);
            // a network that changes nothing: the enlarged result is the blend, up to the two bilinear steps
            BufferedImage blend = FullResolution.compose(at1024, y, FullResolution.finishRemovals(y, edited, 0, 32), 0,
                    32, FullResolution.Mode.BLEND);
            int[] a = pixels(learned);
            int[] b = pixels(blend);
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                for (int c = 0; c < 24; c += 8) {
                    diff += Math.abs(((a[i] >> c) & 0xFF) - ((b[i] >> c) & 0xFF));
                }
            }
            assertThat(diff / (3.0 * a.length)).isLessThan(0.5);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("networks")
    void anUntrainedUpsamplerPutsBackExactlyAsTheBlend(GuidedUpsampler.Network network) {
        BufferedImage face = new FaceWorld(2, 10, 96).face(1).image();
        float[] y = ImageTensors.toChw(face, 32);
        float[] edited = mouthBrightened(y);
        try (GuidedUpsampler u = untrained(network)) {
            BufferedImage learned = FullResolution.compose(face, y, edited, 0, 32, FullResolution.Mode.LEARNED, u);
            // LEARNED finishes what the edit removes first (FullResolutionTest), then puts back as the blend would
            float[] finished = FullResolution.finishRemovals(y, edited, 0, 32);
            BufferedImage blend = FullResolution.compose(face, y, finished, 0, 32, FullResolution.Mode.BLEND);
            assertThat(pixels(learned)).isEqualTo(pixels(blend));
            // at the model's resolution it is the manipulator's output, finished
            BufferedImage small = ImageTensors.resize(face, 32, 32);
            float[] ys = ImageTensors.toChw(small);
            assertThat(pixels(FullResolution.compose(small, ys, edited, 0, 32, FullResolution.Mode.LEARNED, u)))
                    .isEqualTo(pixels(FullResolution.compose(small, ys, FullResolution.finishRemovals(ys, edited, 0, 32),
                            0, 32, FullResolution.Mode.BLEND)));
        }
        assertThatThrownBy(() -> FullResolution.compose(face, y, edited, 0, 32, FullResolution.Mode.LEARNED, null))
                .hasMessageContaining("needs a guided upsampler");
    }

    @Test
    void trainsWritesLoadsAndIsRefusedAtAnotherResolution(@TempDir Path dir) {
        Path out = dir.resolve("up");
        double[] psnr = GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), TINY, out, manager,
                ProgressListener.NONE, false);
        assertThat(psnr[0]).isBetween(5.0, 60.0);
        assertThat(psnr[1]).isBetween(5.0, 60.0);
        JsonNode m = GuidedUpsampler.check(out, 16);
        assertThat(m.at("/metrics/heldOutLearnedPsnr").asDouble()).isEqualTo(psnr[1]);
        try (GuidedUpsampler u = GuidedUpsampler.load(out, manager)) {
            assertThat(u.resolution()).isEqualTo(16);
        }
        assertThatThrownBy(() -> GuidedUpsampler.check(out, 32)).hasMessageContaining("carries edits from 16 px");
        // an existing folder is not replaced without force
        assertThatThrownBy(() -> GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), TINY,
                dir, manager, ProgressListener.NONE, false)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void distil(Path bundle, String edit, PutBack putBack, Path upsampler) {
        DistillOptions d = DistillOptions.builder().steps(2).batchSize(2).manipulatorWidth(4).checkpointEvery(0)
                .previewEvery(0).putBack(putBack).upsampler(upsampler == null ? "" : upsampler.toString()).build();
        new SddDistiller(manager).distill(new DistillRequest(edit, "a prompt", "", new FakeTeacher(0.05f, 3, 16),
                new FaceWorld(3, 100, 16), TimestepSelection.fixed("a prompt", List.of(400)), d, bundle, null, null));
    }

    @Test
    void theUpsamplerIsStoredWithItsEditAndTravelsWithIt(@TempDir Path dir) throws java.io.IOException {
        Path up = dir.resolve("up");
        GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), TINY, up, manager,
                ProgressListener.NONE, false);
        Path bundle = dir.resolve("b");
        distil(bundle, "reshape", PutBack.LEARNED, up);
        distil(bundle, "recolour", PutBack.EDGE_AWARE, null);
        Path merged = dir.resolve("merged");
        EditorBundle.copyEdit(bundle, "reshape", new EditorBundle.Target(merged, false, false));
        for (Path b : List.of(bundle, merged)) {
            try (ManipulatorEditor e = ManipulatorEditor.load(b, manager)) {
                assertThat(e.putBack("reshape")).isEqualTo(FullResolution.Mode.LEARNED);
                assertThat(e.hasUpsampler("reshape")).isTrue();
                assertThat(e.upsampler("reshape").network()).isEqualTo(GuidedUpsampler.Network.DEFAULT);
                List<BufferedImage> in = List.of(new FaceWorld(4, 10, 64).face(2).image());
                assertThat(e.editRgb(in, "reshape").get(0).getWidth()).isEqualTo(64);
            }
        }
        try (ManipulatorEditor e = ManipulatorEditor.load(bundle, manager)) {
            assertThat(e.hasUpsampler("recolour")).isFalse();
            assertThatThrownBy(() -> e.editRgb(List.of(new FaceWorld(4, 10, 64).face(2).image()), "recolour",
                    FullResolution.Mode.LEARNED)).hasMessageContaining("has no learned upsampler");
        }
        // a manifest that records LEARNED without an upsampler is refused when loaded, not at the first edit
        Path hand = dir.resolve("hand");
        EditorBundle.copyEdit(bundle, "recolour", new EditorBundle.Target(hand, false, false));
        Path manifest = hand.resolve("manifest.json");
        java.nio.file.Files.writeString(manifest, java.nio.file.Files.readString(manifest)
                .replace("\"EDGE_AWARE\"", "\"LEARNED\""));
        assertThatThrownBy(() -> ManipulatorEditor.load(hand, manager)).hasMessageContaining("stores no upsampler");
        // the weights are listed with their checksum: a changed file is refused
        JsonNode m = EditorBundle.readVerified(bundle);
        String name = m.at("/edits/reshape/upsampler").asText();
        assertThat(name).endsWith(".params");
        assertThat(m.path("files").has(name)).isTrue();
        java.nio.file.Files.write(bundle.resolve(name), new byte[] {1, 2, 3},
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ManipulatorEditor.load(bundle, manager)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUpsamplerGivenAfterDistillingPutsTheEditBackWithoutChangingTheBundle(@TempDir Path dir) throws Exception {
        Path up = dir.resolve("up");
        GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), TINY, up, manager,
                ProgressListener.NONE, false);
        Path bundle = dir.resolve("b");
        distil(bundle, "recolour", PutBack.EDGE_AWARE, null);
        String manifest = java.nio.file.Files.readString(bundle.resolve("manifest.json"));
        List<BufferedImage> in = List.of(new FaceWorld(4, 10, 64).face(2).image());
        try (ManipulatorEditor e = ManipulatorEditor.load(bundle, manager)) {
            BufferedImage edgeAware = e.editRgb(in, "recolour").get(0);
            e.useUpsampler("recolour", up);
            assertThat(e.putBack("recolour")).isEqualTo(FullResolution.Mode.LEARNED);
            BufferedImage learned = e.editRgb(in, "recolour").get(0);
            assertThat(pixels(learned)).containsExactly(pixels(e.editRgb(in, "recolour", FullResolution.Mode.LEARNED)
                    .get(0)));
            assertThat(pixels(learned)).isNotEqualTo(pixels(edgeAware));
            assertThatThrownBy(() -> e.useUpsampler("reshape", up)).hasMessageContaining("not in this editor");
            assertThatThrownBy(() -> e.useUpsampler("recolour", dir.resolve("missing")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(java.nio.file.Files.readString(bundle.resolve("manifest.json"))).isEqualTo(manifest);
        try (ManipulatorEditor e = ManipulatorEditor.load(bundle, manager)) {
            assertThat(e.putBack("recolour")).isEqualTo(FullResolution.Mode.EDGE_AWARE);
        }
    }

    @Test
    void aFolderThatRecordsNoNetworkHasTheFirstReleasesUShape(@TempDir Path dir) {
        DetailNet first = new DetailNet();
        first.initialize(manager);
        assertThat(first.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum())
                .as("the first release's 85,131 parameters").isEqualTo(85_131);
        Path up = dir.resolve("up");
        GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), new GuidedUpsampler.Options(2, 2,
                0.002f, 16, List.of(64), 32, 1, GuidedUpsampler.Network.FIRST, 0.1), up, manager, ProgressListener.NONE,
                false);
        Path manifest = up.resolve("manifest.json");
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.sdd4j.core.io.Json.read(manifest);
        assertThat(m.at("/network/kind").asText()).isEqualTo("u-shape");
        // as the first release wrote it: no network recorded
        m.remove(GuidedUpsampler.NETWORK);
        org.sdd4j.core.io.Json.write(manifest, m);
        try (GuidedUpsampler u = GuidedUpsampler.load(up, manager)) {
            assertThat(u.network()).isEqualTo(GuidedUpsampler.Network.FIRST);
        }
    }

    @Test
    void aNetworkOrOptionsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new GuidedUpsampler.Network("resnet", 4, 8, 2)).hasMessageContaining("unknown upsampler"
                + " network 'resnet'");
        assertThatThrownBy(() -> new GuidedUpsampler.Network("subpixel", 0, 8, 2)).hasMessageContaining("block in [1, 16]");
        assertThatThrownBy(() -> new GuidedUpsampler.Options(2, 2, 0.002f, 16, List.of(64), 36, 1,
                new GuidedUpsampler.Network("subpixel", 8, 8, 2), 0.02)).hasMessageContaining("fold 8");
        assertThatThrownBy(() -> new GuidedUpsampler.Options(2, 2, 0.002f, 16, List.of(64), 32, 1,
                GuidedUpsampler.Network.DEFAULT, -0.1)).hasMessageContaining("noise must be in [0, 1]");
        // a recorded network is read back as written
        var node = org.sdd4j.core.io.Json.object();
        GuidedUpsampler.Network.DEFAULT.put(node, "n");
        assertThat(GuidedUpsampler.Network.of(node, "n")).isEqualTo(GuidedUpsampler.Network.DEFAULT);
        assertThat(GuidedUpsampler.Network.of(node, "absent")).isEqualTo(GuidedUpsampler.Network.FIRST);
        // a smoothing is recorded with the network; one recorded before smoothing existed reads as none
        assertThat(node.at("/n/smoothing").asDouble(-1)).isZero();
        GuidedUpsampler.Network.DEFAULT.withSmoothing(0.08).put(node, "s");
        assertThat(GuidedUpsampler.Network.of(node, "s").smoothing()).isEqualTo(0.08);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("s")).remove("smoothing");
        assertThat(GuidedUpsampler.Network.of(node, "s")).isEqualTo(GuidedUpsampler.Network.DEFAULT);
        for (double bad : new double[] {-0.01, 0.6, Double.NaN}) {
            assertThatThrownBy(() -> GuidedUpsampler.Network.DEFAULT.withSmoothing(bad))
                    .hasMessageContaining("smoothing must be in [0, 0.5]");
        }
    }

    @Test
    void aRecordedSmoothingEvensOutOnlyWhatTheUpsamplerDrewAndTravelsWithItIntoABundle(@TempDir Path dir) {
        // a network that passes the upsampled edit through with a fixed grain of 0.04 added
        GuidedUpsampler.Net grainy = (ps, x) -> {
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            float[] grain = new float[(int) (3 * h * w)];
            for (int i = 0; i < grain.length; i++) {
                grain[i] = (float) (0.04 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
            }
            return x.get(":, 0:3").add(x.getManager().create(grain, new ai.djl.ndarray.types.Shape(1, 3, h, w)));
        };
        // a flat skin-coloured image: inside the brightened rectangle the blend is flat, so what differs is grain
        BufferedImage face = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < 256 * 256; p++) {
            face.setRGB(p % 256, p / 256, 0xB07850);
        }
        float[] y = ImageTensors.toChw(face, 32);
        float[] edited = mouthBrightened(y);
        int[] plain;
        int[] smooth;
        try (GuidedUpsampler u = GuidedUpsampler.of(manager.newSubManager(), grainy, 32, GuidedUpsampler.Network.DEFAULT)) {
            plain = pixels(FullResolution.compose(face, y, edited, 0, 32, FullResolution.Mode.LEARNED, u));
            u.smoothing(0.08);
            assertThat(u.network().smoothing()).isEqualTo(0.08);
            smooth = pixels(FullResolution.compose(face, y, edited, 0, 32, FullResolution.Mode.LEARNED, u));
        }
        int[] blend = pixels(FullResolution.compose(face, y, FullResolution.finishRemovals(y, edited, 0, 32), 0, 32,
                FullResolution.Mode.BLEND));
        double grainPlain = 0;
        double grainSmooth = 0;
        for (int p = 0; p < plain.length; p++) {
            int py = p / 256;
            int px = p % 256;
            boolean insideMouth = py >= 20 * 8 && py < 23 * 8 && px >= 13 * 8 && px < 20 * 8;
            boolean farFromIt = py < 12 * 8 || px < 6 * 8 || px > 26 * 8;
            if (farFromIt) {
                // where the edit changed nothing the upsampler's output is not used, smoothed or not
                assertThat(smooth[p]).isEqualTo(plain[p]);
            }
            if (insideMouth) {
                for (int c = 0; c < 24; c += 8) {
                    grainPlain += Math.abs(((plain[p] >> c) & 0xFF) - ((blend[p] >> c) & 0xFF));
                    grainSmooth += Math.abs(((smooth[p] >> c) & 0xFF) - ((blend[p] >> c) & 0xFF));
                }
            }
        }
        // inside the edit the grain the network added is mostly gone
        assertThat(grainPlain).isGreaterThan(0);
        assertThat(grainSmooth).isLessThan(0.4 * grainPlain);

        // an upsampler trained to record a smoothing keeps it in the bundle of an edit distilled with it
        Path up = dir.resolve("up");
        GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64), TINY.withSmoothing(0.05), up,
                manager, ProgressListener.NONE, false);
        Path bundle = dir.resolve("b");
        distil(bundle, "reshape", PutBack.LEARNED, up);
        try (GuidedUpsampler u = GuidedUpsampler.load(up, manager);
                ManipulatorEditor e = ManipulatorEditor.load(bundle, manager)) {
            assertThat(u.network().smoothing()).isEqualTo(0.05);
            assertThat(e.upsampler("reshape").network()).isEqualTo(GuidedUpsampler.Network.DEFAULT.withSmoothing(0.05));
        }
    }

    @Test
    void learnedNeedsAnUpsamplerOfTheEditsResolution(@TempDir Path dir) {
        assertThatThrownBy(() -> DistillOptions.builder().putBack(PutBack.LEARNED).build())
                .hasMessageContaining("needs a guided upsampler");
        assertThatThrownBy(() -> DistillOptions.builder().upsampler("x").build())
                .hasMessageContaining("only used by put-back LEARNED");
        Path up = dir.resolve("up");
        GuidedUpsampler.train(new FaceWorld(3, 50, 64), new FaceWorld(9, 5, 64),
                new GuidedUpsampler.Options(2, 2, 0.002f, 8, List.of(64), 32, 1), up, manager, ProgressListener.NONE,
                false);
        assertThatThrownBy(() -> distil(dir.resolve("b"), "reshape", PutBack.LEARNED, up))
                .hasMessageContaining("carries edits from 8 px");
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
