package org.sdd4j.spark;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import com.google.common.collect.Iterators;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.ImageFiles;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.edit.Framing;
import org.sdd4j.core.edit.FramingTemplate;

/**
 * Edits one partition in batches: rows (path, encoded image) in, one row per input row and edit out.
 * A row that cannot be decoded or edited comes out with its error and no image; nothing is dropped.
 */
final class EditPartition implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    /** The schema of the edited rows. */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, true)
            .add("edit", DataTypes.StringType, false)
            .add("image", DataTypes.BinaryType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("millis", DataTypes.DoubleType, true)
            .add("error", DataTypes.StringType, true);

    private final EditorSource source;
    private final List<String> edits;
    private final SparkEditOptions options;

    /** Each edit's framing template values, when the options align the boxes. */
    private final Map<String, float[]> templates;
    private final int resolution;

    EditPartition(EditorSource source, List<String> edits, SparkEditOptions options, Map<String, float[]> templates,
            int resolution) {
        this.source = source;
        this.edits = List.copyOf(edits);
        this.options = options;
        this.templates = new HashMap<>(templates);
        this.resolution = resolution;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        // batches are edited as the writer pulls rows: a partition is never held in memory
        return Iterators.concat(Iterators.transform(Iterators.partition(rows, options.batchSize()), this::editBatch));
    }

    private Iterator<Row> editBatch(List<Row> batch) {
        int n = batch.size();
        String[] paths = new String[n];
        BufferedImage[] whole = new BufferedImage[n];
        // each picture's box (the square the editor sees, unless aligned), or null for the whole picture (padded if
        // it is not square)
        Framing.Square[] boxes = new Framing.Square[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = batch.get(i);
            paths[i] = r.isNullAt(0) ? null : r.getString(0);
            String name = paths[i] == null ? "row without a path" : paths[i];
            try {
                byte[] bytes = r.isNullAt(1) ? null : (byte[]) r.get(1);
                whole[i] = ImageTensors.toRgb(ImageFiles.decode(bytes, name));
                int w = whole[i].getWidth();
                int h = whole[i].getHeight();
                if (!r.isNullAt(2)) {
                    boxes[i] = Framing.Square.parse(r.getString(2));
                } else if (options.fit() == Framing.Fit.CROP && w != h) {
                    boxes[i] = Framing.Square.centred(w, h);
                }
            } catch (RuntimeException e) {
                errors[i] = message(e);
            }
        }
        Editor editor = null;
        String loadError = null;
        try {
            editor = ExecutorEditors.get(source, options.backend());
        } catch (RuntimeException e) {
            loadError = "could not load the " + source + ": " + message(e);
        }
        List<Row> out = new ArrayList<>(n * edits.size());
        for (String edit : edits) {
            Image[] results = new Image[n];
            String[] editErrors = errors.clone();
            FramingTemplate template = options.align()
                    ? FramingTemplate.of(templates.get(edit), resolution) : null;
            Framing.Square[] squares = new Framing.Square[n];
            Image[] images = new Image[n];
            for (int i = 0; i < n; i++) {
                if (editErrors[i] != null) {
                    continue;
                }
                try {
                    squares[i] = template != null && boxes[i] != null ? template.align(whole[i], boxes[i]) : boxes[i];
                    images[i] = ImageFactory.getInstance().fromImage(squares[i] == null ? whole[i]
                            : Framing.seen(whole[i], squares[i]));
                } catch (RuntimeException e) {
                    editErrors[i] = message(e);
                }
            }
            double millis = Double.NaN;
            if (editor != null) {
                millis = edit(editor, edit, images, results, editErrors);
                for (int i = 0; i < n; i++) {
                    if (squares[i] != null && editErrors[i] == null) {
                        results[i] = ImageFactory.getInstance().fromImage(Framing.putBack(whole[i],
                                ImageTensors.toRgb(results[i]), squares[i]));
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    editErrors[i] = editErrors[i] != null ? editErrors[i] : loadError;
                }
            }
            for (int i = 0; i < n; i++) {
                if (editErrors[i] == null) {
                    try {
                        out.add(RowFactory.create(paths[i], edit, png(results[i]), results[i].getWidth(),
                                results[i].getHeight(), millis, null));
                        continue;
                    } catch (RuntimeException e) {
                        editErrors[i] = "could not encode the edited image as PNG: " + message(e);
                    }
                }
                out.add(RowFactory.create(paths[i], edit, null, null, null, null, editErrors[i]));
            }
        }
        return out.iterator();
    }

    /** Edits the decodable images in one call (per image if that call fails); returns ms per image. */
    private static double edit(Editor editor, String edit, Image[] images, Image[] results, String[] errors) {
        List<Integer> ok = new ArrayList<>();
        List<Image> in = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            if (errors[i] == null) {
                ok.add(i);
                in.add(images[i]);
            }
        }
        if (in.isEmpty()) {
            return Double.NaN;
        }
        long t0 = System.nanoTime();
        try {
            List<Image> edited = editor.edit(in, edit);
            for (int k = 0; k < ok.size(); k++) {
                results[ok.get(k)] = edited.get(k);
            }
        } catch (RuntimeException batchFailure) {
            // find the image that broke the batch; the others are still edited
            for (int i : ok) {
                try {
                    results[i] = editor.edit(images[i], edit);
                } catch (RuntimeException e) {
                    errors[i] = message(e);
                }
            }
        }
        return (System.nanoTime() - t0) / 1e6 / in.size();
    }

    static byte[] png(Image image) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            image.save(buf, "png");
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
