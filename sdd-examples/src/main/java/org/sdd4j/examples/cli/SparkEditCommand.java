package org.sdd4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sdd4j.core.edit.Framing;
import org.sdd4j.spark.EditSummary;
import org.sdd4j.spark.EditorSource;
import org.sdd4j.spark.SddSpark;
import org.sdd4j.spark.SparkEditOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Edits a folder of images on Spark (local mode here; the same code runs on a cluster with spark-submit). */
@Command(name = "spark-edit", mixinStandardHelpOptions = true,
        description = {"Edit every image below --input on Apache Spark and write PNG files mirroring the input"
            + " (out/<edit>/<path>.png) or a Parquet table. Bad images are counted and listed, never dropped;"
            + " existing files are kept unless --overwrite."})
final class SparkEditCommand implements Callable<Integer> {

    @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).", defaultValue = "local[*]")
    String master;

    @Option(names = "--editor", required = true, description = "Editor bundle folder.")
    Path editor;

    @Option(names = "--edit", required = true, split = ",", description = "Edits to apply, e.g. smiling.")
    List<String> edits;

    @Option(names = "--input", required = true, description = "Folder of images (searched recursively).")
    Path input;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--format", description = "png or parquet (default: ${DEFAULT-VALUE}).", defaultValue = "png")
    String format;

    @Option(names = "--batch", description = "Images per forward pass (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int batch;

    @Option(names = "--backend", description = "Backend on the executors (default: the best available).")
    String backend;

    @Option(names = "--overwrite", description = "Replace output files that already exist (default: refuse).")
    boolean overwrite;

    @Option(names = "--fit", defaultValue = "crop", description = "For a picture that is not square: 'crop' edits its"
            + " centred square at the subject's own scale and leaves the rest as it was; 'pad' edits the whole picture,"
            + " padded to a square (as `sdd edit --fit`; default: ${DEFAULT-VALUE}).")
    String fit;

    /**
     * Spark runs one task per core, so each task's libtorch calls get one thread unless the user asked for a count:
     * the launcher's passive OpenMP policy would otherwise give every task one thread per core.
     */
    static void oneLibtorchThreadPerTask() {
        if (System.getProperty("sdd.threads") == null && System.getenv("SDD_THREADS") == null) {
            System.setProperty("sdd.threads", "1");
        }
    }

    @Override
    public Integer call() {
        oneLibtorchThreadPerTask();
        Framing.Fit framing = Framing.Fit.of(fit);
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + " is not a folder");
        }
        if (!format.equals("png") && !format.equals("parquet")) {
            throw new IllegalArgumentException("--format must be png or parquet, got " + format);
        }
        if (input.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())
                || out.toAbsolutePath().normalize().startsWith(input.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out " + out + " and --input " + input + " must not contain each other");
        }
        List<String> skipped = skippedBySpark(input);
        SparkSession spark = SparkSession.builder().master(master).appName("sdd spark-edit")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            long t0 = System.nanoTime();
            Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .load(input.toString());
            SparkEditOptions o = SparkEditOptions.defaults().withBatchSize(batch).withBackend(backend)
                    .withFit(framing);
            Dataset<Row> edited = SddSpark.edit(files, EditorSource.of(editor), o, edits.toArray(String[]::new));
            EditSummary s = format.equals("png")
                    ? SddSpark.writePngs(edited, input.toAbsolutePath().toString(), out.toString(), overwrite)
                    : SddSpark.writeParquet(edited, out.toAbsolutePath().toString(), overwrite);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> failures = new ArrayList<>(s.failures());
            for (String f : skipped) {
                for (String e : edits) {
                    failures.add(f + "\t" + e + "\tskipped by Spark's file reader (empty, or a hidden name starting"
                            + " with '.' or '_')");
                }
            }
            long failed = s.failed() + (long) skipped.size() * edits.size();
            System.out.printf("%d rows: %d edited, %d failed, in %.1f s (%s)%n", s.rows() + (long) skipped.size()
                    * edits.size(), s.ok(), failed, seconds, master);
            failures.stream().limit(20).forEach(f -> System.out.println("  failed: " + f.replace('\t', ' ')));
            if (failures.size() > 20) {
                System.out.println("  ... and " + (failures.size() - 20) + " more");
            }
            System.out.println("written to " + out);
            return failed == 0 ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    /** Files below the folder that Spark's binaryFile source does not return (so they are reported here). */
    static List<String> skippedBySpark(Path folder) {
        try (var walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                try {
                    return n.startsWith(".") || n.startsWith("_") || Files.size(p) == 0;
                } catch (IOException e) {
                    return true;
                }
            }).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + folder, e);
        }
    }
}
