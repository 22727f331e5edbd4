package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.Editor;
import org.sdd4j.api.ProgressListener;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.testing.EngineTest;

/** Fine-tuning an upsampler to one edit: the pairs, what is hidden from it, and the folder it writes. */
class EditPairsTest extends EngineTest {

    private static final int RES = 16;
    private static final FaceWorld DATA = new FaceWorld(3, 400, 64);

    /** An editor that applies a fixed change to every image (at the image's size). */
    private record FakeEditor(String name, UnaryOperator<BufferedImage> change) implements Editor {
        @Override
        public Set<String> edits() {
            return Set.of(name);
        }

        @Override
        public Image edit(Image image, String edit) {
            return edit(List.of(image), edit).get(0);
        }

        @Override
        public List<Image> edit(List<Image> images, String edit) {
            assertThat(edit).isEqualTo(name);
            return images.stream().map(i -> ImageFactory.getInstance().fromImage(change.apply(ImageTensors.toRgb(i))))
                    .toList();
        }

        @Override
        public void close() {}
    }

    /** A copy with the square of side {@code n} at (x, y) painted in {@code rgb}. */
    private static BufferedImage painted(BufferedImage b, int x, int y, int n, int rgb) {
        BufferedImage c = new BufferedImage(b.getWidth(), b.getHeight(), BufferedImage.TYPE_INT_RGB);
        c.getGraphics().drawImage(b, 0, 0, null);
        for (int yy = y; yy < y + n; yy++) {
            for (int xx = x; xx < x + n; xx++) {
                c.setRGB(xx, yy, rgb);
            }
        }
        return c;
    }

    private static final Editor FORWARD = new FakeEditor("smiling", b -> painted(b, 10, 10, 2, 0xff0000));
    private static final Editor REVERSE = new FakeEditor("frowning", b -> painted(b, 3, 3, 2, 0x0000ff));

    private static float[] shrink(int index) {
        return ImageTensors.toChw(ImageTensors.resize(ImageTensors.toRgb(DATA.get(index).image()), RES, RES), RES);
    }

    @Test
    void theImagesShowingTheEditAreFoundByCaptionAndTooFewAreRefused() {
        List<Integer> found = EditPairs.showingTheEdit(DATA, "smiling|happy", 20);
        assertThat(found).hasSize(20).isSorted();
        for (int i : found) {
            assertThat(DATA.caption(i)).containsAnyOf("smiling", "happy");
        }
        assertThatThrownBy(() -> EditPairs.showingTheEdit(DATA, "no such caption", 20))
                .hasMessageContaining("only 0 images").hasMessageContaining("'no such caption'");
        assertThatThrownBy(() -> EditPairs.showingTheEdit(DATA, "smiling(", 20))
                .hasMessageContaining("'smiling(' is not a regular expression");
    }

    @Test
    void aPairIsTheReverseEditOfTheShrinkThenTheEditOfThat() {
        List<Integer> idx = List.of(0, 1, 2);
        List<EditPairs.Pair> pairs = EditPairs.make(DATA, idx, RES, FORWARD, "smiling", REVERSE, "frowning",
                ProgressListener.NONE);
        assertThat(pairs).hasSize(3);
        for (int k = 0; k < 3; k++) {
            BufferedImage small = ImageTensors.resize(ImageTensors.toRgb(DATA.get(idx.get(k)).image()), RES, RES);
            BufferedImage back = painted(small, 3, 3, 2, 0x0000ff);
            assertThat(pairs.get(k).index()).isEqualTo(idx.get(k));
            assertThat(pairs.get(k).back()).containsExactly(ImageTensors.toChw(back, RES));
            assertThat(pairs.get(k).edited()).containsExactly(ImageTensors.toChw(painted(back, 10, 10, 2, 0xff0000),
                    RES));
        }
        assertThatThrownBy(() -> EditPairs.make(DATA, idx, RES, FORWARD, "blond hair", REVERSE, "frowning",
                ProgressListener.NONE)).hasMessageContaining("no edit \"blond hair\"").hasMessageContaining("smiling");
    }

    @Test
    void whatEitherEditChangedIsHiddenAndWidened() {
        EditPairs.Pair p = EditPairs.make(DATA, List.of(5), RES, FORWARD, "smiling", REVERSE, "frowning",
                ProgressListener.NONE).get(0);
        float[] s = shrink(5);
        float[] plain = EditPairs.hidden(s, p, RES, 0);
        // both squares (the reverse edit's at 3..4, the edit's at 10..11) are hidden fully, a far corner not at all
        assertThat(plain[3 * RES + 3]).isEqualTo(1f);
        assertThat(plain[10 * RES + 10]).isEqualTo(1f);
        assertThat(plain[15 * RES + 0]).isZero();
        // the put-back's own mask reaches two pixels beyond a square; each step of growth one more
        assertThat(plain[3 * RES + 7]).isZero();
        float[] grown = EditPairs.hidden(s, p, RES, 2);
        assertThat(grown[3 * RES + 8]).isGreaterThan(0f);
        assertThat(grown[3 * RES + 9]).isZero();
        for (int i = 0; i < plain.length; i++) {
            assertThat(grown[i]).isGreaterThanOrEqualTo(plain[i]);
        }
    }

    @Test
    void anExampleShowsTheEditAndHidesTheFullImageWhereEitherEditChanged() {
        EditPairs.Pair p = EditPairs.make(DATA, List.of(7), RES, FORWARD, "smiling", REVERSE, "frowning",
                ProgressListener.NONE).get(0);
        int size = 64;
        GuidedUpsampler.Example e = EditPairs.example(DATA, p, size, RES, size, 0, 0, new SplittableRandom(1));
        float[] target = ImageTensors.toChw(ImageTensors.resize(ImageTensors.toRgb(DATA.get(7).image()), size, size));
        float[] up = FullResolution.upsampled(p.edited(), 0, RES, size, 0, 0, 0, 0, size, size);
        int hw = size * size;
        assertThat(java.util.Arrays.copyOf(e.target(), 3 * hw)).containsExactly(target);
        assertThat(java.util.Arrays.copyOf(e.input(), 3 * hw)).containsExactly(up);
        // inside the reverse edit's square (pixels 12..19 at 64 px) the net sees the edit, not the image, although the
        // edit itself left that part alone; far from both it sees the image
        for (int c = 0; c < 3; c++) {
            int inside = c * hw + 15 * size + 15;
            assertThat(e.input()[3 * hw + inside]).isEqualTo(up[inside], within(1e-6f));
            assertThat(e.region()[15 * size + 15]).isTrue();
            int far = c * hw + 60 * size + 2;
            assertThat(e.input()[3 * hw + far]).isEqualTo(target[far]);
            assertThat(e.region()[60 * size + 2]).isFalse();
        }
    }

    private static Path upsampler(Path dir, int resolution) {
        Path out = dir.resolve("up" + resolution);
        GuidedUpsampler.train(new FaceWorld(3, 50, 4 * resolution), new FaceWorld(9, 5, 4 * resolution),
                new GuidedUpsampler.Options(2, 2, 0.002f, resolution, List.of(4 * resolution), 32, 1), out, manager,
                ProgressListener.NONE, false);
        return out;
    }

    private static GuidedUpsampler.Options base() {
        return new GuidedUpsampler.Options(1, 2, 0.002f, RES, List.of(64), 32, 1);
    }

    @Test
    void aFineTuneStartsFromTheGivenUpsamplerAndWritesAFolderThatRecordsIt(@TempDir Path dir) {
        Path from = upsampler(dir, RES);
        List<EditPairs.Pair> pairs = EditPairs.make(DATA, EditPairs.showingTheEdit(DATA, "smiling|happy", 24), RES,
                FORWARD, "smiling", REVERSE, "frowning", ProgressListener.NONE);
        Path out = dir.resolve("tuned");
        // a step far too small to move the weights: the result has the weights it started from, which it would not
        // if the network had been initialised anew
        EditPairs.Result r = EditPairs.fineTune(from, DATA, pairs, "smiling", new EditPairs.Options(1, 1e-7f, 0.8, 4),
                base(), out, manager, ProgressListener.NONE, false, java.util.Map.of("reverseEdit", "frowning"));
        assertThat(r.heldOutPairs()).isEqualTo(3);
        assertThat(r.trainPairs()).isEqualTo(21);
        assertThat(r.tunedPsnr()).isCloseTo(r.startPsnr(), within(0.01));
        try (GuidedUpsampler a = GuidedUpsampler.load(from, manager);
                GuidedUpsampler b = GuidedUpsampler.load(out, manager)) {
            var pa = a.block().getParameters().values();
            var pb = b.block().getParameters().values();
            assertThat(pb).hasSameSizeAs(pa);
            for (int i = 0; i < pa.size(); i++) {
                float[] x = pa.get(i).getArray().toFloatArray();
                float[] y = pb.get(i).getArray().toFloatArray();
                for (int j = 0; j < x.length; j++) {
                    assertThat(y[j]).isCloseTo(x[j], within(1e-5f));
                }
            }
        }
        JsonNode m = GuidedUpsampler.check(out, RES);
        assertThat(m.path("edit").asText()).isEqualTo("smiling");
        assertThat(m.at("/fineTunedFrom/manifestSha256").asText())
                .isEqualTo(org.sdd4j.core.io.AtomicFiles.sha256(from.resolve("manifest.json")));
        assertThat(m.at("/metrics/tunedPsnr").asDouble()).isEqualTo(r.tunedPsnr());
        assertThat(m.at("/training/grow").asInt()).isEqualTo(4);
        assertThat(m.at("/pairs/reverseEdit").asText()).isEqualTo("frowning");
        assertThat(m.at("/pairs/count").asInt()).isEqualTo(24);
        try (GuidedUpsampler u = GuidedUpsampler.load(out, manager)) {
            assertThat(u.resolution()).isEqualTo(RES);
            // it keeps the smoothing of the upsampler it started from (none here) unless given one
            assertThat(u.network().smoothing()).isZero();
        }
        Path smoothed = dir.resolve("smoothed");
        EditPairs.fineTune(from, DATA, pairs, "smiling", new EditPairs.Options(1, 1e-7f, 0.8, 4, 0.08), base(),
                smoothed, manager, ProgressListener.NONE, false, java.util.Map.of());
        assertThat(GuidedUpsampler.check(smoothed, RES).at("/network/smoothing").asDouble()).isEqualTo(0.08);
        assertThatThrownBy(() -> new EditPairs.Options(1, 1e-3f, 0.8, 4, 0.9)).hasMessageContaining("smoothing");
    }

    @Test
    void aFineTuneRefusesAForeignFolderAndAnUpsamplerOfAnotherResolutionBeforeTraining(@TempDir Path dir)
            throws Exception {
        List<EditPairs.Pair> pairs = EditPairs.make(DATA, EditPairs.showingTheEdit(DATA, "smiling|happy", 16), RES,
                FORWARD, "smiling", REVERSE, "frowning", ProgressListener.NONE);
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Path from = upsampler(dir, RES);
        assertThatThrownBy(() -> EditPairs.fineTune(from, DATA, pairs, "smiling", EditPairs.Options.defaults(),
                base(), mine, manager, ProgressListener.NONE, false, java.util.Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(mine.resolve("manifest.json")).doesNotExist();
        // the upsampler it starts from is never replaced by the fine-tuned one
        String fromManifest = Files.readString(from.resolve("manifest.json"));
        assertThatThrownBy(() -> EditPairs.fineTune(from, DATA, pairs, "smiling", EditPairs.Options.defaults(),
                base(), from.resolve("."), manager, ProgressListener.NONE, false, java.util.Map.of()))
                .hasMessageContaining("is the upsampler the fine-tune starts from");
        assertThat(Files.readString(from.resolve("manifest.json"))).isEqualTo(fromManifest);
        Path other = upsampler(dir, 8);
        assertThatThrownBy(() -> EditPairs.fineTune(other, DATA, pairs, "smiling", EditPairs.Options.defaults(),
                base(), dir.resolve("x"), manager, ProgressListener.NONE, false, java.util.Map.of()))
                .hasMessageContaining("carries edits from 8 px");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThatThrownBy(() -> new EditPairs.Options(800, 0.001f, 0.8, 9)).hasMessageContaining("grow must be in");
        assertThatThrownBy(() -> new EditPairs.Options(800, 0.001f, 0, 4)).hasMessageContaining("share");
    }
}
