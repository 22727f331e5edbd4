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
        // each picture's boxes (the squares the editor sees, unless aligned), or null for the whole picture (padded
        // if it is not square)
        List<List<Framing.Square>> boxes = new ArrayList<>(java.util.Collections.nCopies(n, null));
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
                    boxes.set(i, Framing.Square.parseAll(r.getString(2)));
                } else if (options.fit() == Framing.Fit.CROP && w != h) {
                    boxes.set(i, List.of(Framing.Square.centred(w, h)));
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
            // what the editor sees: each picture whole, or each of its squares (one item each, edited in one call)
            List<Integer> rowOf = new ArrayList<>();
            List<Framing.Square> squareOf = new ArrayList<>();
            List<Image> seen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (editErrors[i] != null) {
                    continue;
                }
                BufferedImage picture = whole[i];
                try {
                    List<Framing.Square> squares = boxes.get(i) == null ? java.util.Collections.singletonList(null)
                            : template == null ? boxes.get(i)
                            : boxes.get(i).stream().map(b -> template.align(picture, b)).toList();
                    List<Image> images = new ArrayList<>();
                    for (Framing.Square q : squares) {
                        images.add(ImageFactory.getInstance().fromImage(q == null ? picture
                                : Framing.seen(picture, q)));
                    }
                    for (int k = 0; k < squares.size(); k++) {
                        rowOf.add(i);
                        squareOf.add(squares.get(k));
                        seen.add(images.get(k));
                    }
                } catch (RuntimeException e) {
                    editErrors[i] = message(e);
                }
            }
            double millis = Double.NaN;
            if (editor != null) {
                Image[] itemResults = new Image[seen.size()];
                String[] itemErrors = new String[seen.size()];
                millis = edit(editor, edit, seen.toArray(Image[]::new), itemResults, itemErrors);
                // each picture's squares put back in order; a picture whole is its edit
                BufferedImage[] composed = new BufferedImage[n];
                for (int k = 0; k < seen.size(); k++) {
                    int i = rowOf.get(k);
                    if (itemErrors[k] != null) {
                        editErrors[i] = editErrors[i] != null ? editErrors[i] : itemErrors[k];
                    } else if (squareOf.get(k) == null) {
                        results[i] = itemResults[k];
                    } else {
                        composed[i] = Framing.putBack(composed[i] == null ? whole[i] : composed[i],
                                ImageTensors.toRgb(itemResults[k]), squareOf.get(k));
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (composed[i] != null && editErrors[i] == null) {
                        results[i] = ImageFactory.getInstance().fromImage(composed[i]);
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
