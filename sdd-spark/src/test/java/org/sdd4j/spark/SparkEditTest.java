package org.sdd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.tck.TckFixtures;

/** Batch editing on Spark in local[2] mode: same pixels as one JVM, bad rows kept, one load per JVM. */
@Tag("spark")
class SparkEditTest {

    static final int FACES = 300;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path input;
    static Path bundle;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkTests.session();
        bundle = TckFixtures.copy("editor", dir.resolve("editor"));
        input = dir.resolve("in");
        FaceWorld world = new FaceWorld(7, FACES, 32);
        for (int i = 0; i < FACES; i++) {
            Path f = input.resolve("part" + (i % 3)).resolve("face-" + i + ".png");
            Files.createDirectories(f.getParent());
            try (OutputStream o = Files.newOutputStream(f)) {
                world.get(i).image().save(o, "png");
            }
        }
        Files.write(input.resolve("truncated.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        // (Spark's binaryFile source skips empty files itself; empty content is tested on its own below)
        Files.write(input.resolve("garbage.jpg"), new java.util.Random(3).ints(500, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> {})
                .toByteArray());
        Files.writeString(input.resolve("notes.txt"), "not an image");
    }

    @AfterAll
    static void stop() {
        SparkTests.release();
    }

    static Dataset<Row> files() {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input.toString());
    }

    @Test
    void sparkEditsEqualTheSingleMachineEditorAndKeepBadRows() throws IOException {
        List<Row> rows = SddSpark.edit(files(), EditorSource.of(bundle), SparkEditOptions.defaults().withBatchSize(16),
                TckFixtures.EDIT).collectAsList();
        assertThat(rows).hasSize(FACES + 3);
        Map<String, Row> byName = new HashMap<>();
        for (Row r : rows) {
            byName.put(Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(), r);
        }
        for (String bad : List.of("truncated.png", "garbage.jpg", "notes.txt")) {
            Row r = byName.get(bad);
            assertThat(r.getString(6)).as(bad).isNotBlank();
            assertThat(r.isNullAt(2)).isTrue();
        }

        List<Image> originals = new ArrayList<>();
        List<Image> fromSpark = new ArrayList<>();
        for (int i = 0; i < FACES; i++) {
            Path f = input.resolve("part" + (i % 3)).resolve("face-" + i + ".png");
            originals.add(ImageFactory.getInstance().fromFile(f));
            Row r = byName.get("face-" + i + ".png");
            assertThat(r.getString(6)).isNull();
            assertThat(r.getInt(3)).isEqualTo(32);
            assertThat(r.getInt(4)).isEqualTo(32);
            assertThat(r.getDouble(5)).isPositive();
            fromSpark.add(ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream((byte[]) r.get(2))));
        }
        int maxLevels = 0;
        try (Editor editor = Editor.load(bundle)) {
            List<Image> expected = editor.edit(originals, TckFixtures.EDIT);
            for (int i = 0; i < FACES; i++) {
                maxLevels = Math.max(maxLevels, TckFixtures.maxDifference(expected.get(i), fromSpark.get(i)));
            }
        }
        // 8-bit PNGs on both sides: 0 levels is a difference of 0 (<= 1e-6) on [0,1] pixels
        assertThat(maxLevels).isZero();
        // both task threads of this JVM (and every other test's job) shared one editor
        String sha = org.sdd4j.core.io.AtomicFiles.sha256(bundle.resolve("manifest.json"));
        assertThat(ExecutorEditors.loads(sha)).isEqualTo(1);
        SddSpark.edit(files(), EditorSource.of(bundle), TckFixtures.EDIT).count();
        assertThat(ExecutorEditors.loads(sha)).isEqualTo(1);
    }

    /** Four 48x32 pictures {@code w-<i>.png} in {@code folder}, each a face in the middle of a flat colour. */
    private static List<java.awt.image.BufferedImage> widePictures(Path folder) throws IOException {
        Files.createDirectories(folder);
        FaceWorld world = new FaceWorld(8, 4, 32);
        List<java.awt.image.BufferedImage> pictures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            java.awt.image.BufferedImage face = org.sdd4j.core.data.ImageTensors.toRgb(world.get(i).image());
            java.awt.image.BufferedImage w = new java.awt.image.BufferedImage(48, 32,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 48; x++) {
                    w.setRGB(x, y, x >= 8 && x < 40 ? face.getRGB(x - 8, y) : 0x20A040 + i);
                }
            }
            pictures.add(w);
            javax.imageio.ImageIO.write(w, "png", folder.resolve("w-" + i + ".png").toFile());
        }
        return pictures;
    }

    @Test
    void eachRowsBoxFramesItsPictureAsOneMachineEditsThatSquare() throws IOException {
        Path folder = dir.resolve("boxes");
        List<java.awt.image.BufferedImage> pictures = widePictures(folder);
        org.apache.spark.sql.Column path = org.apache.spark.sql.functions.col("path");
        Dataset<Row> in = spark.read().format("binaryFile").load(folder.toString()).withColumn("box",
                org.apache.spark.sql.functions.when(path.endsWith("w-0.png"), "0,0,32,32;16,2,32,28")
                        .when(path.endsWith("w-1.png"), "16,2,32,28").when(path.endsWith("w-2.png"), "60,0,10,10"));
        List<Row> rows = SddSpark.edit(in, EditorSource.of(bundle), SparkEditOptions.defaults().withRegionColumn("box"),
                TckFixtures.EDIT).collectAsList();
        assertThat(rows).hasSize(4);
        // two subjects' boxes in the first picture, one in the second, one outside the third, none in the fourth
        org.sdd4j.core.edit.Framing.Square right = new org.sdd4j.core.edit.Framing.Square(16, 0, 32);
        List<List<org.sdd4j.core.edit.Framing.Square>> squares = java.util.Arrays.asList(
                List.of(new org.sdd4j.core.edit.Framing.Square(0, 0, 32), right), List.of(right), null,
                List.of(org.sdd4j.core.edit.Framing.Square.centred(48, 32)));
        try (Editor editor = Editor.load(bundle)) {
            for (Row r : rows) {
                int i = Integer.parseInt(r.getString(0).replaceAll(".*w-(\\d+)\\.png$", "$1"));
                if (squares.get(i) == null) {
                    assertThat(r.getString(6)).contains("10x10 at 60,0").contains("lies outside the 48x32 image");
                    continue;
                }
                assertThat(r.getString(6)).isNull();
                java.awt.image.BufferedImage expected = org.sdd4j.core.edit.Framing.edit(editor, pictures.get(i),
                        TckFixtures.EDIT, squares.get(i));
                Image got = ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream((byte[]) r.get(2)));
                assertThat(TckFixtures.maxDifference(ImageFactory.getInstance().fromImage(expected), got)).isZero();
            }
        }
        assertThatThrownBy(() -> SddSpark.edit(in, EditorSource.of(bundle),
                SparkEditOptions.defaults().withRegionColumn("boxes"), TckFixtures.EDIT))
                .hasMessageContaining("no column 'boxes'");
    }

    @Test
    void alignedBoxesAreMovedAsOneMachineMovesThemAndNeedATemplate() throws IOException {
        Path folder = dir.resolve("aligned");
        List<java.awt.image.BufferedImage> pictures = widePictures(folder);
        // the fixture editor with the framing template of the faces it edits
        Path withTemplate = TckFixtures.copy("editor", dir.resolve("editor-template"));
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.sdd4j.core.io.Json.read(withTemplate.resolve("manifest.json"));
        int res = m.path("resolution").asInt();
        org.sdd4j.core.edit.FramingTemplate template = org.sdd4j.core.edit.FramingTemplate.of(
                new FaceWorld(8, 50, res), res);
        org.sdd4j.core.io.EditorBundle.putFramingTemplate((com.fasterxml.jackson.databind.node.ObjectNode) m
                .path("edits").path(TckFixtures.EDIT), template);
        org.sdd4j.core.io.Json.write(withTemplate.resolve("manifest.json"), m);
        Dataset<Row> in = spark.read().format("binaryFile").load(folder.toString()).withColumn("box",
                org.apache.spark.sql.functions.lit("12,-3,32,32"));
        List<Row> rows = SddSpark.edit(in, EditorSource.of(withTemplate), SparkEditOptions.defaults()
                .withRegionColumn("box").withAlignment(true), TckFixtures.EDIT).collectAsList();
        assertThat(rows).hasSize(4);
        try (Editor editor = Editor.load(withTemplate)) {
            for (Row r : rows) {
                assertThat(r.getString(6)).isNull();
                int i = Integer.parseInt(r.getString(0).replaceAll(".*w-(\\d+)\\.png$", "$1"));
                org.sdd4j.core.edit.Framing.Square aligned = template.align(pictures.get(i),
                        new org.sdd4j.core.edit.Framing.Square(12, -3, 32));
                java.awt.image.BufferedImage expected = org.sdd4j.core.edit.Framing.edit(editor, pictures.get(i),
                        TckFixtures.EDIT, aligned);
                Image got = ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream((byte[]) r.get(2)));
                assertThat(TckFixtures.maxDifference(ImageFactory.getInstance().fromImage(expected), got)).isZero();
            }
        }
        assertThatThrownBy(() -> SddSpark.edit(in, EditorSource.of(bundle), SparkEditOptions.defaults()
                .withRegionColumn("box").withAlignment(true), TckFixtures.EDIT))
                .hasMessageContaining("records no framing template");
        assertThatThrownBy(() -> SparkEditOptions.defaults().withAlignment(true))
                .hasMessageContaining("withRegionColumn");
    }

    @Test
    void byDefaultEachWidePictureIsEditedAsOneMachineEditsItsCentredSquare() throws IOException {
        Path wide = dir.resolve("wide");
        List<java.awt.image.BufferedImage> pictures = widePictures(wide);
        List<Row> rows = SddSpark.edit(spark.read().format("binaryFile").load(wide.toString()), EditorSource.of(bundle),
                SparkEditOptions.defaults(), TckFixtures.EDIT).collectAsList();
        assertThat(rows).hasSize(4);
        try (Editor editor = Editor.load(bundle)) {
            for (Row r : rows) {
                assertThat(r.getString(6)).isNull();
                assertThat(r.getInt(3)).isEqualTo(48);
                int i = Integer.parseInt(r.getString(0).replaceAll(".*w-(\\d+)\\.png$", "$1"));
                java.awt.image.BufferedImage expected = org.sdd4j.core.edit.Framing.edit(editor, pictures.get(i),
                        TckFixtures.EDIT, org.sdd4j.core.edit.Framing.Fit.CROP);
                Image got = ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream((byte[]) r.get(2)));
                assertThat(TckFixtures.maxDifference(ImageFactory.getInstance().fromImage(expected), got)).isZero();
                java.awt.image.BufferedImage g = org.sdd4j.core.data.ImageTensors.toRgb(got);
                assertThat(g.getRGB(3, 5)).isEqualTo(pictures.get(i).getRGB(3, 5));
                assertThat(g.getRGB(44, 20)).isEqualTo(pictures.get(i).getRGB(44, 20));
            }
        }
        assertThatThrownBy(() -> SparkEditOptions.defaults().withFit(null)).hasMessageContaining("fit");
    }

    @Test
    void pngFolderMirrorsTheInputAndNeverOverwrites() throws IOException {
        Path out = dir.resolve("out-png");
        EditSummary s = SddSpark.writePngs(SddSpark.edit(files(), EditorSource.of(bundle), TckFixtures.EDIT),
                input.toString(), out.toString(), false);
        assertThat(s.rows()).isEqualTo(FACES + 3);
        assertThat(s.ok()).isEqualTo(FACES);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.failures()).hasSize(3).anyMatch(l -> l.contains("notes.txt"));
        Path one = out.resolve(TckFixtures.EDIT).resolve("part1").resolve("face-1.png");
        assertThat(one).isRegularFile();
        assertThat(out.resolve(TckFixtures.EDIT).resolve("notes.txt.png")).doesNotExist();
        try (var walk = Files.walk(out)) {
            assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(FACES);
        }

        Files.write(one, new byte[] {1, 2, 3});
        EditSummary again = SddSpark.writePngs(SddSpark.edit(files(), EditorSource.of(bundle), TckFixtures.EDIT),
                input.toString(), out.toString(), false);
        assertThat(again.ok()).isZero();
        assertThat(again.failed()).isEqualTo(FACES + 3);
        assertThat(again.failures()).anyMatch(l -> l.contains("face-1.png") && l.contains("exists"));
        assertThat(Files.readAllBytes(one)).containsExactly(1, 2, 3);
    }

    @Test
    void parquetKeepsEveryRow() {
        Path out = dir.resolve("out-parquet");
        EditSummary s = SddSpark.writeParquet(SddSpark.edit(files(), EditorSource.of(bundle), TckFixtures.EDIT),
                out.toString(), false);
        assertThat(s.rows()).isEqualTo(FACES + 3);
        assertThat(s.failed()).isEqualTo(3);
        assertThatThrownBy(() -> SddSpark.writeParquet(SddSpark.edit(files(), EditorSource.of(bundle),
                TckFixtures.EDIT), out.toString(), false)).hasMessageContaining("already exists");
    }

    @Test
    void emptyAndMissingContentBecomeErrorRows() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("path", "string").add("content", "binary");
        Dataset<Row> rows = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", new byte[0]),
                org.apache.spark.sql.RowFactory.create("b", null)), schema);
        List<Row> out = SddSpark.edit(rows, EditorSource.of(bundle), TckFixtures.EDIT).collectAsList();
        assertThat(out).hasSize(2).allSatisfy(r -> assertThat(r.getString(6)).contains("empty"));
    }

    @Test
    void unknownEditAndMissingColumnAreRefusedOnTheDriver() {
        assertThatThrownBy(() -> SddSpark.edit(files(), EditorSource.of(bundle), "frowning"))
                .hasMessageContaining("no edit 'frowning'").hasMessageContaining("smiling");
        assertThatThrownBy(() -> SddSpark.edit(files().select("path"), EditorSource.of(bundle), TckFixtures.EDIT))
                .hasMessageContaining("no column 'content'");
    }

    @Test
    void aChangedBundleIsRefusedByItsChecksums() throws IOException {
        Path broken = TckFixtures.copy("editor", dir.resolve("broken"));
        try (var files = Files.list(broken)) {
            Path params = files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
            byte[] b = Files.readAllBytes(params);
            b[b.length - 1] ^= 1;
            Files.write(params, b);
        }
        assertThatThrownBy(() -> SddSpark.edit(files(), EditorSource.of(broken), TckFixtures.EDIT))
                .hasMessageContaining("SHA-256");
    }
}
