package org.sdd4j.examples.demo;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageFiles;
import org.sdd4j.spark.EditorSource;
import org.sdd4j.spark.ExecutorEditors;
import org.sdd4j.spark.SddSpark;
import org.sdd4j.spark.SparkEditOptions;

/**
 * Editing throughput on Spark against the plain editor, in one run on the same files: the plain
 * editor on one thread (read, decode, edit in batches, encode PNG), then Spark local[1] and local[2]
 * doing the same work, each after a warm-up pass.
 */
public final class SparkBench {

    /** One row of the table. */
    public record Measurement(String mode, int images, double seconds, double rssMb) {
        double perSecond() {
            return images / seconds;
        }
    }

    private SparkBench() {}

    /**
     * Runs the benchmark.
     *
     * @param bundle the editor bundle
     * @param edit the edit
     * @param images how many FaceWorld faces
     * @param size their size in pixels
     * @param batch the batch size of both paths
     * @param scratch a folder for the input files
     * @return the rows: plain, local[1], local[2]
     */
    public static List<Measurement> run(Path bundle, String edit, int images, int size, int batch, Path scratch) {
        List<Path> files = render(images, size, scratch);
        List<Measurement> rows = new ArrayList<>();
        try (Editor editor = Editor.load(bundle)) {
            plain(editor, edit, files.subList(0, Math.min(files.size(), 4 * batch)), batch);
            long t0 = System.nanoTime();
            plain(editor, edit, files, batch);
            rows.add(new Measurement("plain editor, 1 thread", images, (System.nanoTime() - t0) / 1e9, rss()));
        }
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("sdd bench")
                    .config("spark.ui.enabled", "false").getOrCreate();
            try {
                spark.sparkContext().setLogLevel("WARN");
                Dataset<Row> in = spark.read().format("binaryFile").load(scratch.toString())
                        .repartition(4 * cores).cache();
                in.count();
                consume(SddSpark.edit(in.limit(4 * batch), EditorSource.of(bundle),
                        SparkEditOptions.defaults().withBatchSize(batch), edit));
                long t0 = System.nanoTime();
                consume(SddSpark.edit(in, EditorSource.of(bundle), SparkEditOptions.defaults().withBatchSize(batch),
                        edit));
                rows.add(new Measurement("Spark local[" + cores + "]", images, (System.nanoTime() - t0) / 1e9, rss()));
            } finally {
                spark.stop();
            }
        }
        return rows;
    }

    /** Editor loads in this JVM during the benchmark (one per bundle: executors share it). */
    public static int editorLoads() {
        return ExecutorEditors.loads();
    }

    private static void consume(Dataset<Row> edited) {
        edited.foreachPartition((ForeachPartitionFunction<Row>) it -> {
            while (it.hasNext()) {
                Row r = it.next();
                if (r.isNullAt(2)) {
                    throw new IllegalStateException("benchmark row failed: " + r.getString(6));
                }
            }
        });
    }

    private static void plain(Editor editor, String edit, List<Path> files, int batch) {
        for (int i = 0; i < files.size(); i += batch) {
            List<Image> in = new ArrayList<>();
            for (Path f : files.subList(i, Math.min(files.size(), i + batch))) {
                try {
                    in.add(ImageFactory.getInstance().fromImage(ImageFiles.decode(Files.readAllBytes(f), f.toString())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (Image out : editor.edit(in, edit)) {
                try {
                    out.save(new ByteArrayOutputStream(), "png");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static List<Path> render(int n, int size, Path dir) {
        try {
            Files.createDirectories(dir);
            FaceWorld world = new FaceWorld(4242, n, size);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path f = dir.resolve(String.format(Locale.ROOT, "face-%05d.png", i));
                try (OutputStream o = Files.newOutputStream(f)) {
                    world.get(i).image().save(o, "png");
                }
                files.add(f);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double rss() {
        return Bench.procStatusMb("VmRSS:");
    }

    /** The table. */
    public static String table(List<Measurement> rows, int size) {
        StringBuilder sb = new StringBuilder();
        double plain = rows.get(0).perSecond();
        sb.append(String.format(Locale.ROOT, "| mode (%dx%d PNG in, PNG out) | images/s | ms per image | vs plain |"
                + " RSS after (MB) |%n|---|---:|---:|---:|---:|%n", size, size));
        for (Measurement r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2fx | %.0f |%n", r.mode(), r.perSecond(),
                    1000 / r.perSecond(), r.perSecond() / plain, r.rssMb()));
        }
        Measurement one = rows.get(1);
        Measurement two = rows.get(2);
        sb.append(String.format(Locale.ROOT, "scaling local[2] / local[1]: %.2fx; Spark's overhead per image at local[1]:"
                + " %+.2f ms; peak resident memory %.0f MB; editor loads in this JVM: %d%n",
                two.perSecond() / one.perSecond(), 1000 / one.perSecond() - 1000 / plain, Bench.peakRssMb(),
                editorLoads()));
        return sb.toString();
    }
}
