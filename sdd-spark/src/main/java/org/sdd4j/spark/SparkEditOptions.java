package org.sdd4j.spark;

import java.io.Serializable;
import org.sdd4j.core.edit.Framing;

/**
 * How {@link SddSpark#edit} reads rows and runs the editor.
 *
 * @param batchSize images per forward pass on an executor (default 32)
 * @param backend the backend's name on the executors, or null for the best available one
 * @param pathColumn the column naming each image (default "path", as Spark's binaryFile source); if the
 *     dataset has no such column, the row's position is used
 * @param contentColumn the binary column with the encoded image (default "content")
 * @param fit what the editor sees of a picture that is not square (default {@link Framing.Fit#CROP}: its centred
 *     square, at the subject's own scale, the rest left as it was; {@link Framing.Fit#PAD}: the whole picture, padded
 *     to a square, so the subject looks smaller to the model)
 * @param regionColumn a string column with each picture's subject box, {@code "x,y,width,height"} in pixels (as
 *     {@code sdd edit --region}: the square round it is edited, the rest left as it was), or several separated by
 *     {@code ;} (the faces of a group photo, edited in one call and put back in order), or null for none; a row whose
 *     box is null is framed by {@code fit}, a row with a box malformed or outside its picture fails with its error
 * @param align move each row's box to where the edit's training pictures have their subject
 *     ({@link org.sdd4j.core.edit.FramingTemplate}, as {@code sdd edit --align}); needs a region column and an editor
 *     that records a framing template for every edit
 */
public record SparkEditOptions(int batchSize, String backend, String pathColumn, String contentColumn,
        Framing.Fit fit, String regionColumn, boolean align) implements Serializable {

    /** The largest batch accepted. */
    public static final int MAX_BATCH = 1024;

    /** Checks the values. */
    public SparkEditOptions {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH + "], got " + batchSize);
        }
        if (pathColumn == null || pathColumn.isBlank() || contentColumn == null || contentColumn.isBlank()) {
            throw new IllegalArgumentException("the path and content column names must not be empty");
        }
        if (fit == null) {
            throw new IllegalArgumentException("the fit must not be null (PAD or CROP)");
        }
        if (regionColumn != null && regionColumn.isBlank()) {
            throw new IllegalArgumentException("the region column's name must not be empty (null for none)");
        }
        if (align && regionColumn == null) {
            throw new IllegalArgumentException("aligning moves each row's box; name the column with the boxes"
                    + " (withRegionColumn)");
        }
    }

    /** Batches of 32, the best backend, Spark's binaryFile columns, pictures that are not square cropped. */
    public static SparkEditOptions defaults() {
        return new SparkEditOptions(32, null, "path", "content", Framing.Fit.CROP, null, false);
    }

    /** The same options with another batch size. */
    public SparkEditOptions withBatchSize(int n) {
        return new SparkEditOptions(n, backend, pathColumn, contentColumn, fit, regionColumn, align);
    }

    /** The same options with a named backend. */
    public SparkEditOptions withBackend(String name) {
        return new SparkEditOptions(batchSize, name, pathColumn, contentColumn, fit, regionColumn, align);
    }

    /** The same options reading other columns. */
    public SparkEditOptions withColumns(String path, String content) {
        return new SparkEditOptions(batchSize, backend, path, content, fit, regionColumn, align);
    }

    /** The same options with another fit for pictures that are not square. */
    public SparkEditOptions withFit(Framing.Fit f) {
        return new SparkEditOptions(batchSize, backend, pathColumn, contentColumn, f, regionColumn, align);
    }

    /** The same options reading each picture's subject box from a string column ({@code "x,y,width,height"}). */
    public SparkEditOptions withRegionColumn(String column) {
        return new SparkEditOptions(batchSize, backend, pathColumn, contentColumn, fit, column, align);
    }

    /** The same options with each row's box aligned to the edit's framing template, or not. */
    public SparkEditOptions withAlignment(boolean on) {
        return new SparkEditOptions(batchSize, backend, pathColumn, contentColumn, fit, regionColumn, on);
    }
}
