package org.sdd4j.backend.tensorflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.io.ModelFolder;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.manipulator.LatentManipulator;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.nn.UNetConfig;
import org.sdd4j.core.teacher.UNetTeacher;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes trained editors and teachers as TensorFlow SavedModels (tag {@code serve}, signature
 * {@code serving_default}), built with TensorFlow Java's graph API from the same weights, each with a
 * manifest describing the signature. See {@link SavedModelSignatures} for the signatures.
 */
public final class SavedModelExport {

    private SavedModelExport() {}

    /**
     * Exports every edit of an editor bundle.
     *
     * @param editor the loaded bundle (any engine)
     * @param out the export folder: new, empty, or an earlier export (switched atomically to the new one)
     * @param force allow a non-empty folder that is not an export (its content is kept)
     * @return the folder
     */
    public static Path exportEditor(ManipulatorEditor editor, Path out, boolean force) {
        TensorFlowNatives.ensure();
        int res = editor.resolution();
        try (ModelFolder dir = ModelFolder.open(out, SavedModelSignatures.EDITOR_FORMAT,
                SavedModelSignatures.FORMAT_VERSION, SavedModelSignatures.EDITOR_KIND, force)) {
            ObjectNode m = Json.object();
            m.put("format", SavedModelSignatures.EDITOR_FORMAT);
            m.put("formatVersion", SavedModelSignatures.FORMAT_VERSION);
            m.put("resolution", res);
            m.set("signature", SavedModelSignatures.editorSignatureJson(res));
            if (editor.manifest() != null) {
                m.set("source", editor.manifest());
            }
            ObjectNode edits = m.putObject("edits");
            for (Map.Entry<String, Manipulator> e : editor.manipulators().entrySet()) {
                Manipulator manip = e.getValue();
                boolean residual = manip instanceof ResidualManipulator
                        && !ResidualManipulator.RECOLOR.equals(manip.architecture());
                if (!residual && !(manip instanceof LatentManipulator)) {
                    throw new IllegalArgumentException("edit '" + e.getKey() + "' uses architecture "
                            + manip.architecture() + "; only " + ResidualManipulator.NAME + ", " + ResidualManipulator.MASKED
                            + ", " + LatentManipulator.NAME + " and " + LatentManipulator.MASKED + " can be exported");
                }
                String folder = dir.addFolder("edit-" + ModelFolder.nameHash(e.getKey()), sub -> write(sub, tf -> {
                    Placeholder<TFloat32> image = tf.withName(SavedModelSignatures.EDITOR_INPUT).placeholder(
                            TFloat32.class, Placeholder.shape(Shape.of(-1, res, res, 3)));
                    TfGraphBuilder b = new TfGraphBuilder(tf, manip.block());
                    // [0, 1] -> [-1, 1], the edit, back to [0, 1]
                    Operand<TFloat32> y = tf.math.sub(tf.math.mul(image, tf.constant(2f)), tf.constant(1f));
                    Operand<TFloat32> edited = residual
                            ? b.residualManipulator(y, manip.width(), res, manip.predictsMask(), manip.maskGain(),
                                    manip.maskFloor())
                            : b.latentManipulator(y, manip.width(), res, manip.predictsMask(), manip.maskGain(),
                                    manip.maskFloor());
                    Operand<TFloat32> out01 = tf.withName(SavedModelSignatures.EDITOR_OUTPUT).math.div(
                            tf.math.add(edited, tf.constant(1f)), tf.constant(2f));
                    return Signature.builder().key(SavedModelSignatures.KEY).input(SavedModelSignatures.EDITOR_INPUT,
                            image).output(SavedModelSignatures.EDITOR_OUTPUT, out01).build();
                }));
                ObjectNode entry = edits.putObject(e.getKey());
                entry.put("savedModel", folder);
                entry.put("architecture", manip.architecture());
                entry.put("width", manip.width());
                entry.put("putBack", editor.putBack(e.getKey()).name());
                entry.put(org.sdd4j.core.io.EditorBundle.MASK_GAIN, manip.maskGain()); // in the graph; recorded to be seen
                entry.put(org.sdd4j.core.io.EditorBundle.MASK_FLOOR, manip.maskFloor()); // likewise
                com.fasterxml.jackson.databind.node.ArrayNode colours = entry.putArray(
                        org.sdd4j.core.io.EditorBundle.TARGET_COLOURS); // used by the put-back, in Java
                editor.targetColours(e.getKey()).forEach(c -> colours.addArray().add(c[0]).add(c[1]).add(c[2]));
                editor.framingTemplate(e.getKey()).ifPresent(t -> org.sdd4j.core.io.EditorBundle.putFramingTemplate(
                        entry, t)); // used to align a box, in Java
                org.sdd4j.core.edit.GuidedUpsampler up = editor.upsampler(e.getKey());
                if (up != null) {
                    up.network().put(entry, org.sdd4j.core.io.EditorBundle.UPSAMPLER_NETWORK);
                    entry.put("upsampler", dir.addFolder("upsampler-" + ModelFolder.nameHash(e.getKey()),
                            sub -> write(sub, tf -> {
                                Placeholder<TFloat32> x = tf.withName(SavedModelSignatures.UPSAMPLER_INPUT).placeholder(
                                        TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 6)));
                                Operand<TFloat32> refined = tf.withName(SavedModelSignatures.UPSAMPLER_OUTPUT).identity(
                                        new TfGraphBuilder(tf, up.block()).upsamplerNet(x, up.network()));
                                return Signature.builder().key(SavedModelSignatures.KEY)
                                        .input(SavedModelSignatures.UPSAMPLER_INPUT, x)
                                        .output(SavedModelSignatures.UPSAMPLER_OUTPUT, refined).build();
                            })));
                }
            }
            dir.commit(m);
        }
        return out;
    }

    /**
     * Exports a teacher: epsilon prediction for one branch; guidance is combined by the caller (both
     * branches in one batch), as the PyTorch teacher does.
     *
     * @param teacher the loaded teacher
     * @param out the export folder: new, empty, or an earlier export (switched atomically to the new one)
     * @param force allow a non-empty folder that is not an export (its content is kept)
     * @return the folder
     */
    public static Path exportTeacher(UNetTeacher teacher, Path out, boolean force) {
        TensorFlowNatives.ensure();
        UNetConfig c = teacher.network().config();
        int res = c.resolution();
        int v = c.vocabulary().size() + 2;
        try (ModelFolder dir = ModelFolder.open(out, SavedModelSignatures.TEACHER_FORMAT,
                SavedModelSignatures.FORMAT_VERSION, SavedModelSignatures.TEACHER_KIND, force)) {
            String folder = dir.addFolder("savedmodel", sub -> write(sub, tf -> {
                Placeholder<TFloat32> x = tf.withName(SavedModelSignatures.TEACHER_X).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, res, res, c.channels())));
                Placeholder<TFloat32> t = tf.withName(SavedModelSignatures.TEACHER_T).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1)));
                Placeholder<TFloat32> text = tf.withName(SavedModelSignatures.TEACHER_TEXT).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(-1, v)));
                Operand<TFloat32> eps = new TfGraphBuilder(tf, teacher.network()).unet(c, x, t, text);
                Operand<TFloat32> named = tf.withName(SavedModelSignatures.TEACHER_OUTPUT).identity(eps);
                return Signature.builder().key(SavedModelSignatures.KEY).input(SavedModelSignatures.TEACHER_X, x)
                        .input(SavedModelSignatures.TEACHER_T, t).input(SavedModelSignatures.TEACHER_TEXT, text)
                        .output(SavedModelSignatures.TEACHER_OUTPUT, named).build();
            }));
            ObjectNode m = Json.object();
            m.put("format", SavedModelSignatures.TEACHER_FORMAT);
            m.put("formatVersion", SavedModelSignatures.FORMAT_VERSION);
            m.put("id", teacher.id() + "-savedmodel");
            m.put("sourceChecksum", teacher.checksum());
            m.set("architecture", Json.tree(c));
            m.set("schedule", teacher.manifest().path("schedule"));
            m.set("space", teacher.manifest().path("space"));
            m.put("prediction", "epsilon");
            m.put("savedModel", folder);
            m.set("signature", SavedModelSignatures.teacherSignatureJson(res, c.channels(), v));
            dir.commit(m);
        }
        return out;
    }

    private static void write(Path dir, Function<Ops, Signature> build) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Signature sig = build.apply(Ops.create(g));
            SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the SavedModel " + dir, e);
        }
    }
}
