package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.ResidualManipulator;

/** The commands never delete or overwrite what they did not write, and say so with a clear message. */
class OutputSafetyTest {

    @TempDir
    static Path shared;

    static Path bundle;

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void writeBundle() {
        bundle = shared.resolve("editor");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ResidualManipulator r = new ResidualManipulator(8);
            r.initialize(m);
            var header = Json.object();
            header.put("resolution", 32);
            EditorBundle.addEdit(new EditorBundle.Target(bundle, false, false), "smiling", Json.object(),
                    new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 8, 32), r, header);
        }
    }

    private static Path face(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new FaceWorld(5, 10, 48).face(1).image();
        ImageIO.write(img, file.toString().endsWith(".jpg") ? "jpg" : "png", file.toFile());
        return file;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** A folder with a user's file and subfolder. */
    private static Path usersFolder(Path x) throws Exception {
        Files.createDirectories(x.resolve("sub"));
        Files.writeString(x.resolve("important.txt"), "mine");
        Files.writeString(x.resolve("sub").resolve("notes.txt"), "mine too");
        return x;
    }

    @Test
    void trainTeacherTrainOracleAndExportRefuseAFolderThatIsNotTheirs(@TempDir Path dir) throws Exception {
        for (String[] cmd : List.of(
                new String[] {"train-teacher", "--steps", "1", "--out"},
                new String[] {"train-oracle", "--steps", "1", "--out"},
                new String[] {"export", "--editor", bundle.toString(), "--out"})) {
            Path x = usersFolder(dir.resolve(cmd[0]));
            List<String> before = listing(x);
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = x.toString();
            Cli.Run r = run(args);
            assertThat(r.status()).as(cmd[0]).isEqualTo(1);
            assertThat(r.err()).as(cmd[0]).contains("is not empty").contains("important.txt").contains("--force");
            assertThat(listing(x)).as(cmd[0]).isEqualTo(before);
            assertThat(x.resolve("important.txt")).hasContent("mine");
        }
    }

    @Test
    void distillRefusesTheDataFolderAsItsOutputBeforeDoingAnyWork(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        face(data.resolve("a.png"));
        Files.writeString(data.resolve("list.csv"), "file,caption\na.png,a smiling face\n");
        List<String> before = listing(data);
        long t0 = System.nanoTime();
        Cli.Run r = run("distill", "--data", data.resolve("list.csv").toString(), "--edit", "smiling", "--prompt",
                "a smiling face", "--steps", "2", "--out", data.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("is not empty").contains("is not an editor bundle");
        assertThat(listing(data)).isEqualTo(before);
        assertThat((System.nanoTime() - t0) / 1e9).as("refused before the search").isLessThan(20);
    }

    @Test
    void aMaskWeightForAManipulatorWithoutAMaskIsRefusedBeforeAnyWork(@TempDir Path dir) {
        Cli.Run r = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--manipulator", "residual-unet", "--mask-weight", "0.1", "--out", dir.resolve("b").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("--mask-weight needs a manipulator that predicts a mask");
        assertThat(dir.resolve("b")).doesNotExist();
        Cli.Run gain = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--manipulator", "residual-unet", "--mask-weight", "0", "--mask-gain", "1.5", "--out",
                dir.resolve("c").toString());
        assertThat(gain.status()).isEqualTo(1);
        assertThat(gain.err()).contains("--mask-gain needs a manipulator that predicts a mask");
        Cli.Run zero = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--mask-gain", "0", "--out", dir.resolve("d").toString());
        assertThat(zero.status()).isEqualTo(1);
        assertThat(zero.err()).contains("maskGain must be a finite number > 0");
        assertThat(dir.resolve("c")).doesNotExist();
        assertThat(dir.resolve("d")).doesNotExist();
        Cli.Run ema = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--ema", "1", "--out", dir.resolve("e").toString());
        assertThat(ema.status()).isEqualTo(1);
        assertThat(ema.err()).contains("--ema) must be in [0, 1)");
        assertThat(dir.resolve("e")).doesNotExist();
    }

    @Test
    void anUnknownManipulatorOrATopKOutsideItsRangeIsRefusedBeforeAnyWork(@TempDir Path dir) {
        Cli.Run unknown = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--manipulator", "recolour", "--out", dir.resolve("b").toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown manipulator architecture 'recolour'").contains("recolor-unet");
        Cli.Run topK = run("distill", "--edit", "smiling", "--prompt", "a smiling face", "--steps", "2",
                "--top-k", "2", "--out", dir.resolve("b").toString());
        assertThat(topK.status()).isEqualTo(1);
        assertThat(topK.err()).contains("--top-k must be in [0, 1]");
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(unknown.out() + unknown.err() + topK.out() + topK.err()).doesNotContain("distill smiling");
    }

    @Test
    void editNeverOverwritesInputsOrExistingFilesAndRefusesCollisions(@TempDir Path dir) throws Exception {
        Path in = face(dir.resolve("in").resolve("x.png"));
        byte[] original = Files.readAllBytes(in);
        // input folder = output folder
        Cli.Run same = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out", in.getParent().toString(),
                in.toString());
        assertThat(same.status()).isEqualTo(1);
        assertThat(same.err()).contains("would overwrite the input");
        assertThat(Files.readAllBytes(in)).isEqualTo(original);
        // two inputs with one output name
        Path other = face(dir.resolve("b").resolve("x.jpg"));
        Cli.Run clash = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out",
                dir.resolve("out").toString(), in.toString(), other.toString());
        assertThat(clash.status()).isEqualTo(1);
        assertThat(clash.err()).contains("would both be written to");
        assertThat(dir.resolve("out")).doesNotExist();
        // an existing result is refused, replaced only with --overwrite
        Path out = dir.resolve("out2");
        assertThat(run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out", out.toString(),
                in.toString()).status()).isZero();
        Files.writeString(out.resolve("x.png"), "earlier result");
        Cli.Run again = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out", out.toString(),
                in.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").contains("--overwrite");
        assertThat(out.resolve("x.png")).hasContent("earlier result");
        assertThat(run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--overwrite", "--out",
                out.toString(), in.toString()).status()).isZero();
        assertThat(ImageIO.read(out.resolve("x.png").toFile()).getWidth()).isEqualTo(48);
    }

    @Test
    void editNeverWritesThroughAPlantedLink(@TempDir Path dir) throws Exception {
        Path in = face(dir.resolve("in").resolve("x.png"));
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("x.png"), victim);
        Cli.Run r = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out", out.toString(), in.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(victim).hasContent("precious");
        assertThat(run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--overwrite", "--out",
                out.toString(), in.toString()).status()).isZero();
        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(out.resolve("x.png"))).isFalse();
    }

    @Test
    void aBadImageIsReportedAndTheOthersAreStillEdited(@TempDir Path dir) throws Exception {
        Path good = face(dir.resolve("in").resolve("good.png"));
        Path bad = dir.resolve("in").resolve("bad.png");
        Files.writeString(bad, "garbage");
        Cli.Run r = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out", dir.resolve("out").toString(),
                bad.toString(), good.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("bad.png").contains("not a readable image");
        assertThat(dir.resolve("out").resolve("good.png")).exists();
    }

    @Test
    void editCropsTheCentredSquareOfAWideImageByDefaultAndLeavesItsSidesAsTheyWere(@TempDir Path dir) throws Exception {
        BufferedImage wide = faceIn(80, 48, 16, 0);
        Path in = write(wide, dir.resolve("in").resolve("wide.png"));
        Cli.Run padded = edit(dir.resolve("pad"), in, "--fit", "pad");
        assertThat(padded.status()).isEqualTo(0);
        assertThat(padded.out()).contains("1 of 1 images are not square").contains("edited whole").contains("--fit crop");
        Cli.Run cropped = edit(dir.resolve("crop"), in);
        assertThat(cropped.status()).isEqualTo(0);
        assertThat(cropped.out()).contains("1 of 1 images are not square").contains("only the centred square")
                .contains("--fit pad");
        // the centred square is the face edited on its own (FramingTest checks the framing with an editor that
        // changes every pixel)
        assertSquareReplaced(ImageIO.read(dir.resolve("crop").resolve("wide.png").toFile()), wide,
                faceEditedAlone(dir), 16, 0);
        assertThat(edit(dir.resolve("x"), in, "--fit", "stretch").err()).contains("unknown fit 'stretch'");
    }

    @Test
    void editWithARegionEditsTheSquareRoundTheBoxAnywhereAndLeavesTheRestAsItWas(@TempDir Path dir) throws Exception {
        BufferedImage picture = faceIn(100, 70, 40, 12);
        Path in = write(picture, dir.resolve("in").resolve("picture.png"));
        // a box 48 wide and 40 high round the face: its square is the face's
        Cli.Run r = edit(dir.resolve("out"), in, "--region", "40,16,48,40");
        assertThat(r.status()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).doesNotContain("not square");
        assertSquareReplaced(ImageIO.read(dir.resolve("out").resolve("picture.png").toFile()), picture,
                faceEditedAlone(dir), 40, 12);
        Cli.Run both = edit(dir.resolve("both"), in, "--region", "40,16,48,40", "--fit", "pad");
        assertThat(both.status()).isNotEqualTo(0);
        assertThat(both.err()).contains("--region and --fit");
        Cli.Run outside = edit(dir.resolve("outside"), in, "--region", "300,10,48,48");
        assertThat(outside.status()).isEqualTo(1);
        assertThat(outside.err()).contains("48x48 at 300,10").contains("lies outside the 100x70 image");
        assertThat(dir.resolve("outside").resolve("picture.png")).doesNotExist();
        assertThat(edit(dir.resolve("bad"), in, "--region", "1,2,3").err()).contains("x,y,width,height")
                .contains("'1,2,3'");
    }

    @Test
    void editWithTwoRegionsEditsBothFacesOfAGroupPictureInOneCall(@TempDir Path dir) throws Exception {
        BufferedImage picture = faceIn(110, 60, 4, 6);
        BufferedImage face = new FaceWorld(5, 10, 48).face(1).image();
        picture.setRGB(58, 6, 48, 48, face.getRGB(0, 0, 48, 48, null, 0, 48), 0, 48);
        Path in = write(picture, dir.resolve("in").resolve("group.png"));
        Cli.Run r = edit(dir.resolve("out"), in, "--region", "4,6,48,48", "--region", "58,10,48,40");
        assertThat(r.status()).as(r.err()).isEqualTo(0);
        assertSquareReplaced(ImageIO.read(dir.resolve("out").resolve("group.png").toFile()), picture,
                faceEditedAlone(dir), 4, 6, 58, 6);
        Cli.Run bad = edit(dir.resolve("bad"), in, "--region", "4,6,48,48", "--region", "500,10,48,40");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("48x48 at 500,6").contains("lies outside");
        assertThat(dir.resolve("bad").resolve("group.png")).doesNotExist();
    }

    @Test
    void editWithARegionAlignedMovesTheBoxToWhereTheTrainingPicturesHaveTheFace(@TempDir Path dir) throws Exception {
        // the test editor with the framing template of the faces it would be trained on
        Path aligned = dir.resolve("editor");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ResidualManipulator r = new ResidualManipulator(8);
            r.initialize(m);
            var header = Json.object();
            header.put("resolution", 32);
            var entry = Json.object();
            EditorBundle.putFramingTemplate(entry, FramingTemplate.of(new FaceWorld(5, 300, 32), 32));
            EditorBundle.addEdit(new EditorBundle.Target(aligned, false, false), "smiling", entry,
                    new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 8, 32), r, header);
        }
        BufferedImage face = new FaceWorld(5, 10, 96).face(1).image();
        BufferedImage picture = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                picture.setRGB(x, y, face.getRGB(Math.min(95, Math.max(0, x - 50)), Math.min(95, Math.max(0, y - 30))));
            }
        }
        Path in = dir.resolve("in").resolve("picture.png");
        Files.createDirectories(in.getParent());
        ImageIO.write(picture, "png", in.toFile());
        // a box a tenth of the face's side right of and above it
        Cli.Run r = run("edit", "--editor", aligned.toString(), "--edit", "smiling", "--region", "60,20,96,96",
                "--align", "--out", dir.resolve("out").toString(), in.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String line = row(r.out(), in + ": --region aligned from 96x96 at 60,20 to ");
        String[] to = line.substring(line.lastIndexOf(' ') + 1).split(",");
        // back within about a model pixel (3 px here) and the faces' own spread in the frame
        assertThat(Integer.parseInt(to[0])).isBetween(40, 58);
        assertThat(Integer.parseInt(to[1])).isBetween(22, 40);
        assertThat(dir.resolve("out").resolve("picture.png")).exists();
        Cli.Run none = edit(dir.resolve("none"), in, "--region", "60,20,96,96", "--align");
        assertThat(none.status()).isNotZero();
        assertThat(none.err()).contains("records no framing template").contains("without --align");
        assertThat(dir.resolve("none").resolve("picture.png")).doesNotExist();
        assertThat(run("edit", "--editor", aligned.toString(), "--edit", "smiling", "--align", "--out",
                dir.resolve("x").toString(), in.toString()).err())
                .contains("--align moves the box given with --region");
    }

    /** {@code sdd edit} of the test bundle's smile of {@code in} into {@code out}, with more options. */
    private static Cli.Run edit(Path out, Path in, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("edit", "--editor", bundle.toString(), "--edit",
                "smiling"));
        args.addAll(List.of(options));
        args.addAll(List.of("--out", out.toString(), in.toString()));
        return run(args.toArray(String[]::new));
    }

    /** The 48-px test face at {@code x0, y0} in a {@code w} x {@code h} picture of one blue. */
    private static BufferedImage faceIn(int w, int h, int x0, int y0) {
        BufferedImage face = new FaceWorld(5, 10, 48).face(1).image();
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inFace = x >= x0 && x < x0 + 48 && y >= y0 && y < y0 + 48;
                picture.setRGB(x, y, inFace ? face.getRGB(x - x0, y - y0) : 0x3366CC);
            }
        }
        return picture;
    }

    private static Path write(BufferedImage img, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** The 48-px test face as a square picture, edited by {@code sdd edit} on its own. */
    private static BufferedImage faceEditedAlone(Path dir) throws Exception {
        Path alone = face(dir.resolve("in-alone").resolve("square.png"));
        assertThat(run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--out",
                dir.resolve("alone").toString(), alone.toString()).status()).isEqualTo(0);
        return ImageIO.read(dir.resolve("alone").resolve("square.png").toFile());
    }

    /**
     * {@code out} is {@code picture} with the 48-px squares whose corners {@code corners} lists (x, y, x, y, ...)
     * replaced by {@code square}.
     */
    private static void assertSquareReplaced(BufferedImage out, BufferedImage picture, BufferedImage square,
            int... corners) {
        assertThat(out.getWidth()).isEqualTo(picture.getWidth());
        assertThat(out.getHeight()).isEqualTo(picture.getHeight());
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int expected = picture.getRGB(x, y);
                for (int c = 0; c < corners.length; c += 2) {
                    if (x >= corners[c] && x < corners[c] + 48 && y >= corners[c + 1] && y < corners[c + 1] + 48) {
                        expected = square.getRGB(x - corners[c], y - corners[c + 1]);
                    }
                }
                assertThat(out.getRGB(x, y)).as("at %d,%d", x, y).isEqualTo(expected);
            }
        }
    }

    /** A user's file (saying "mine") in a new folder. */
    private static Path usersFileIn(Path folder, String name) throws Exception {
        return Files.writeString(Files.createDirectories(folder).resolve(name), "mine");
    }

    /** `sdd evaluate-resolution` of the test bundle's smile on 2 faces at 64 px, pictures to {@code out}. */
    private static Cli.Run evaluateResolutionAt64(Path out, String option) {
        return run("evaluate-resolution", "--editor", bundle.toString(), "--edit", "smiling", "--sizes", "64",
                "--faces", "2", option, "--out", out.toString());
    }

    @Test
    void evaluateResolutionWithFramingRefusesAnExistingFramingPictureAndLeavesItAsItWas(@TempDir Path dir)
            throws Exception {
        Path mine = usersFileIn(dir.resolve("out"), "framing-smiling.png");
        Path out = mine.getParent();
        Cli.Run r = evaluateResolutionAt64(out, "--framing");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("framing-smiling.png already exists").contains("--overwrite");
        assertThat(Files.readString(mine)).isEqualTo("mine");
        assertThat(out.resolve("resolution-smiling-64.png")).doesNotExist();
    }

    @Test
    void theFramingCheckEditsAnOffCentreFaceByItsRegionAsTheSquareFaceAndLeavesTheRestAsItWas(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Cli.Run r = evaluateResolutionAt64(out, "--framing");
        assertThat(r.status()).as(r.err()).isZero();
        // the face in the middle of an 85x64 picture, cropped, and off the centre of a 128x96 one, by its region: the
        // same square, so the same numbers; the region's margins are left exactly as they were
        String cropped = row(r.out(), "| 85x64 | --fit crop |");
        String region = row(r.out(), "| 128x96 | --region |");
        assertThat(region.substring(region.indexOf("--region |"))).isEqualTo(
                cropped.substring(cropped.indexOf("--fit crop |")).replace("--fit crop", "--region"));
        assertThat(region).endsWith("| 99.00 |");
        assertThat(r.out()).contains("| 128x96 | --fit pad |").contains("| 128x96 | --region (box 1/20 off) |")
                .contains("| 128x96 | --region (box 1/10 off) |")
                .contains("| 128x96 | --region (box 1/5 larger) |")
                .contains("| 128x96 | --region (box 1/10 smaller) |");
        assertThat(listing(out)).containsExactly("", "framing-smiling.png", "resolution-smiling-64.png");
        BufferedImage grid = ImageIO.read(out.resolve("framing-smiling.png").toFile());
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(2 * 128);
    }

    /** The line of {@code text} that starts with {@code start}. */
    private static String row(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in:\n" + text));
    }

    @Test
    void evaluateResolutionWritesOnlyItsPictureAndPrintsEachPutBackWithItsColourError(@TempDir Path dir)
            throws Exception {
        Path mine = usersFileIn(dir.resolve("out"), "notes.txt");
        Path out = mine.getParent();
        Cli.Run r = evaluateResolutionAt64(out, "--no-target-colours");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("| colour error, region |").contains("| 64 | RESIDUAL |").contains("| 64 | BLEND |")
                .contains("| 64 | EDGE_AWARE |");
        assertThat(listing(out)).containsExactly("", "notes.txt", "resolution-smiling-64.png");
        assertThat(Files.readString(mine)).isEqualTo("mine");
    }

    @Test
    void anExpectedManifestChecksumIsEnforced(@TempDir Path dir) throws Exception {
        Path in = face(dir.resolve("in").resolve("x.png"));
        String sha = org.sdd4j.core.io.AtomicFiles.sha256(bundle.resolve("manifest.json"));
        Cli.Run wrong = run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--expect-manifest-sha256",
                "00" + sha.substring(2), "--out", dir.resolve("a").toString(), in.toString());
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).contains("not the expected");
        assertThat(run("edit", "--editor", bundle.toString(), "--edit", "smiling", "--expect-manifest-sha256", sha,
                "--out", dir.resolve("b").toString(), in.toString()).status()).isZero();
    }

    @Test
    void singleFileOutputsAreNotReplacedWithoutOverwrite(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("grid.png");
        Files.writeString(png, "a user's file");
        Cli.Run r = run("faceworld", "--count", "4", "--grid", "--out", png.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("already exists").contains("--overwrite");
        assertThat(png).hasContent("a user's file");
        assertThat(run("faceworld", "--count", "4", "--grid", "--overwrite", "--out", png.toString()).status()).isZero();
        assertThat(ImageIO.read(png.toFile())).isNotNull();
        // one file per face by default, ready for `sdd edit`
        assertThat(run("faceworld", "--count", "3", "--out", dir.resolve("faces").toString()).status()).isZero();
        assertThat(ImageIO.read(dir.resolve("faces/face-0002.png").toFile()).getWidth()).isEqualTo(32);
    }

    @Test
    void editorLoadFindsTheNextBackendPastACrashingPlugin() {
        // CrashingPluginBackend ranks 1000 on the test class path and throws from isAvailable
        try (org.sdd4j.api.Editor e = org.sdd4j.api.Editor.load(bundle)) {
            assertThat(e.edits()).containsExactly("smiling");
        }
    }

    @Test
    void trainingOnAFolderWritesSampleGridsOfItsMostFrequentCaptions(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        face(data.resolve("a.png"));
        face(data.resolve("b.png"));
        Files.writeString(data.resolve("list.csv"), "file,caption\na.png,a smiling face\nb.png,a smiling face\n");
        Cli.Run r = run("train-teacher", "--data", data.resolve("list.csv").toString(), "--steps", "2", "--batch", "2",
                "--width", "8", "--sample-every", "1", "--out", dir.resolve("t").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(dir.resolve("t.work/samples-1.png")).exists();
        assertThat(dir.resolve("t.work/samples-final.png")).exists();
        // the final grid is also beside the teacher's weights, listed with its checksum
        var manifest = org.sdd4j.core.io.Json.read(dir.resolve("t/manifest.json"));
        assertThat(dir.resolve("t").resolve(manifest.path("samples").asText())).isRegularFile();
        assertThat(manifest.path("files").has(manifest.path("samples").asText())).isTrue();
        assertThat(manifest.path("samplePrompts").toString()).isEqualTo("[\"a smiling face\"]");
        assertThat(TrainTeacherCommand.frequentCaptions(org.sdd4j.core.data.CaptionedFolder.open(
                data.resolve("list.csv")), 4)).containsExactly("a smiling face");
    }

    @Test
    void evaluateEditNeverOverwritesAnExistingPicture(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        face(data.resolve("a.png"));
        Files.writeString(data.resolve("list.csv"), "file,caption\na.png,a smiling face\n");
        Path grid = dir.resolve("mine.png");
        Files.writeString(grid, "my picture");
        Cli.Run r = run("evaluate-edit", "--editor", bundle.toString(), "--edit", "smiling", "--data",
                data.resolve("list.csv").toString(), "--source-caption", "a", "--target-caption", "b", "--grid",
                grid.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("already exists").contains("--overwrite");
        assertThat(Files.readString(grid)).isEqualTo("my picture");
    }

    @Test
    void usageErrorsAndBadRatesAreRefused(@TempDir Path dir) {
        assertThat(run().status()).isEqualTo(2);
        Cli.Run lr = run("train-teacher", "--steps", "1", "--lr", "-0.1", "--out", dir.resolve("t").toString());
        assertThat(lr.status()).isEqualTo(1);
        assertThat(lr.err()).contains("learning rate").contains("-0.1");
        Cli.Run missing = run("edit", "--editor", dir.resolve("nothing").toString(), "--edit", "smiling", "--out",
                dir.resolve("o").toString(), dir.resolve("a.png").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }
}
