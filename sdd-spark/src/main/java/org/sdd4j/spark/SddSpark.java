package org.sdd4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.io.EditorBundle;

/**
 * SDD on Apache Spark: edit image datasets with an editor bundle on the executors, and distil several
 * edits of one teacher as parallel tasks.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(in);
 * Dataset<Row> edited = SddSpark.edit(files, EditorSource.of(Path.of("editor")), "smiling");
 * EditSummary s = SddSpark.writePngs(edited, in, out, false);
 * }</pre>
 */
public final class SddSpark {

    private SddSpark() {}

    /** {@link #edit(Dataset, EditorSource, SparkEditOptions, String...)} with the default options. */
    public static Dataset<Row> edit(Dataset<Row> images, EditorSource editor, String... edits) {
        return edit(images, editor, SparkEditOptions.defaults(), edits);
    }

    /**
     * Edits every image of a dataset with each of the edits. Lazy, like any Spark transformation: the
     * work runs when the result is written or collected.
     *
     * @param images rows with an image column (binary, encoded PNG/JPEG/BMP/GIF) and, optionally, a path
     *     column, as Spark's {@code binaryFile} source gives them
     * @param editor where the executors get the bundle from
     * @param options batch size, backend and column names
     * @param edits the edits to apply (each input row yields one output row per edit)
     * @return rows (path, edit, image PNG bytes, width, height, millis per image, error); a row that
     *     could not be edited has its error and no image; rows out = rows in x edits
     * @throws IllegalArgumentException if the bundle is unusable, lacks an edit, or a column is missing
     */
    public static Dataset<Row> edit(Dataset<Row> images, EditorSource editor, SparkEditOptions options,
            String... edits) {
        if (edits.length == 0) {
            throw new IllegalArgumentException("name at least one edit");
        }
        List<String> columns = Arrays.asList(images.columns());
        if (!columns.contains(options.contentColumn())) {
            throw new IllegalArgumentException("the dataset has no column '" + options.contentColumn()
                    + "' with the encoded images (it has " + columns + "); read the files with"
                    + " spark.read().format(\"binaryFile\") or pass SparkEditOptions.withColumns");
        }
        SparkSession spark = images.sparkSession();
        EditorSource ready = (EditorSource) editor.prepare(spark);
        JsonNode manifest = EditorBundle.readVerified(ready.driverCopy());
        List<String> known = new ArrayList<>();
        manifest.path("edits").fieldNames().forEachRemaining(known::add);
        for (String e : edits) {
            if (!known.contains(e)) {
                throw new IllegalArgumentException("the " + ready + " has no edit '" + e + "'; it has " + known);
            }
        }
        if (options.regionColumn() != null && !columns.contains(options.regionColumn())) {
            throw new IllegalArgumentException("the dataset has no column '" + options.regionColumn()
                    + "' with the subjects' boxes (it has " + columns + ")");
        }
        Map<String, float[]> templates = new HashMap<>();
        if (options.align()) {
            int res = manifest.path("resolution").asInt();
            for (String e : edits) {
                FramingTemplate t = EditorBundle.framingTemplate(manifest.path("edits").path(e), res);
                if (t == null) {
                    throw new IllegalArgumentException("the " + ready + " records no framing template for edit '" + e
                            + "' (distilled before templates were recorded); distil it again, or edit without"
                            + " aligning the boxes");
                }
                templates.put(e, t.values());
            }
        }
        Column path = columns.contains(options.pathColumn()) ? functions.col(options.pathColumn()).cast("string")
                : functions.monotonically_increasing_id().cast("string");
        Column region = options.regionColumn() == null ? functions.lit(null).cast("string")
                : functions.col(options.regionColumn()).cast("string");
        JavaRDD<Row> out = images.select(path, functions.col(options.contentColumn()).cast("binary"), region).javaRDD()
                .mapPartitions(new EditPartition(ready, List.of(edits), options, templates,
                        manifest.path("resolution").asInt()));
        return spark.createDataFrame(out, EditPartition.SCHEMA);
    }

    /**
     * Writes edited rows as PNG files, {@code out/<edit>/<path below inputRoot>.png}, and counts them.
     * Files are written under a temporary name and renamed; existing files are kept unless
     * {@code overwrite} (their rows count as failed, saying so).
     *
     * @param edited the result of {@link #edit}
     * @param inputRoot the folder the input paths are below (the folder given to the binaryFile source)
     * @param out the output folder (local path or Hadoop URI)
     * @param overwrite replace files that exist
     * @return the counts; rows = ok + failed
     */
    public static EditSummary writePngs(Dataset<Row> edited, String inputRoot, String out, boolean overwrite) {
        SparkSession spark = edited.sparkSession();
        LongAccumulator ok = spark.sparkContext().longAccumulator("sdd edited");
        LongAccumulator failed = spark.sparkContext().longAccumulator("sdd failed");
        CollectionAccumulator<String> failures = spark.sparkContext().collectionAccumulator("sdd failures");
        String target = new org.apache.hadoop.fs.Path(out).toUri().getScheme() == null
                ? Path.of(out).toAbsolutePath().toUri().toString() : out;
        edited.foreachPartition(new PngWriter(inputRoot, target, overwrite, ok, failed, failures));
        List<String> listed = failures.value();
        return new EditSummary(ok.value() + failed.value(), ok.value(), failed.value(),
                listed.subList(0, Math.min(listed.size(), EditSummary.MAX_LISTED)));
    }

    /**
     * Writes edited rows as Parquet (all columns; failed rows keep their error) and counts them.
     *
     * @param overwrite replace an existing output folder (default refuse, as Spark's ErrorIfExists)
     */
    public static EditSummary writeParquet(Dataset<Row> edited, String out, boolean overwrite) {
        edited.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(out);
        return summarize(edited.sparkSession().read().parquet(out));
    }

    /**
     * Distils several edits of one teacher as parallel Spark tasks (one edit per task, each with its own
     * seed) and merges them into one bundle. Each task writes its own bundle atomically under
     * {@code <out>.spark-parts/}, which must be a folder every executor and the driver see (a shared
     * mount on a cluster; any folder in local mode); a retried task resumes from its checkpoint there.
     * The merge into {@code out} keeps the bundle's other edits and switches atomically.
     *
     * @param spark the session
     * @param teacher where the executors get the teacher from
     * @param data the training data each task opens
     * @param jobs the edits
     * @param out the bundle to create or extend
     * @param replace replace edits the bundle already has (else they are refused before any work)
     * @return the merged bundle
     */
    public static Path distill(SparkSession spark, TeacherSource teacher, DataSource data, List<DistillJob> jobs,
            Path out, boolean replace) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("name at least one edit to distil");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (DistillJob j : jobs) {
            if (!names.add(j.edit())) {
                throw new IllegalArgumentException("the edit '" + j.edit() + "' is named twice");
            }
            EditorBundle.checkWritable(new EditorBundle.Target(out, replace, false), j.edit());
        }
        TeacherSource ready = (TeacherSource) teacher.prepare(spark);
        Path parts = out.toAbsolutePath().resolveSibling(out.getFileName() + ".spark-parts");
        List<String> bundles = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(jobs, jobs.size()).map(new DistillTask(ready, data, parts.toString())).collect();
        for (int i = 0; i < jobs.size(); i++) {
            EditorBundle.copyEdit(Path.of(bundles.get(i)), jobs.get(i).edit(),
                    new EditorBundle.Target(out, replace, false));
        }
        return out;
    }

    /** Counts the rows of an edited dataset (runs it; cache it first if it is used again). */
    public static EditSummary summarize(Dataset<Row> edited) {
        long rows = edited.count();
        Dataset<Row> bad = edited.filter(functions.col("error").isNotNull());
        long failed = bad.count();
        List<String> listed = new ArrayList<>();
        for (Row r : bad.select("path", "edit", "error").limit(EditSummary.MAX_LISTED).collectAsList()) {
            listed.add(r.getString(0) + "\t" + r.getString(1) + "\t" + r.getString(2));
        }
        return new EditSummary(rows, rows - failed, failed, listed);
    }
}
