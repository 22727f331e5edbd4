package org.sdd4j.backend.pytorch;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.sdd4j.api.Editor;
import org.sdd4j.core.data.Captions;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.io.EditorBundle;
import org.sdd4j.core.io.Json;
import org.sdd4j.core.manipulator.ResidualManipulator;
import org.sdd4j.core.teacher.TeacherOptions;
import org.sdd4j.core.teacher.TeacherTrainer;

/**
 * Writes the backend test kit's fixtures with the reference (PyTorch) backend:
 * {@code java ... TckFixtureGenerator sdd-backend-tck/src/main/resources/org/sdd4j/tck} (the folder must not
 * exist). Deterministic: the same seeds give the same files.
 */
public final class TckFixtureGenerator {

    private TckFixtureGenerator() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        if (Files.exists(root)) {
            throw new IllegalArgumentException(root + " exists; give a new folder and move the files yourself");
        }
        try (NDManager m = PyTorchBackend.newRootManager()) {
            // a tiny bundle whose edit is not the identity
            m.getEngine().setRandomSeed(11);
            ResidualManipulator r = new ResidualManipulator(4);
            r.initialize(m);
            for (Pair<String, Parameter> p : r.getParameters()) {
                if (p.getKey().endsWith("conv_out_weight")) {
                    NDArray w = p.getValue().getArray();
                    w.set(m.randomUniform(-0.3f, 0.3f, w.getShape()).toFloatArray());
                }
            }
            var header = Json.object();
            header.put("resolution", 16);
            var entry = Json.object();
            entry.put("prompt", "a smiling face");
            Path editor = root.resolve("editor");
            EditorBundle.addEdit(new EditorBundle.Target(editor, false, false), "smiling", entry,
                    new EditorBundle.WeightsHeader(ResidualManipulator.NAME, 4, 16), r, header);
            index(editor);
            // a tiny untrained teacher (one step), for the training capability check
            Path teacher = root.resolve("teacher");
            TeacherOptions o = TeacherOptions.defaults().withSteps(1).withShape(8, 8, List.of(1, 2), 16)
                    .withPeriods(1, 0);
            new TeacherTrainer(o, new FaceWorld(1, 100, 16), 16, Captions.vocabulary(),
                    Files.createTempDirectory("tck-teacher-work"), List.of(), null).train(teacher, m);
            index(teacher);
        }
        // inputs of several sizes and aspects, and the reference backend's edits of them
        Files.createDirectories(root.resolve("inputs"));
        Files.createDirectories(root.resolve("expected"));
        FaceWorld world = new FaceWorld(21, 100, 40);
        write(root.resolve("inputs/face-16.png"), new FaceWorld(21, 100, 16).face(0).image());
        write(root.resolve("inputs/face-24x16.png"), onCanvas(new FaceWorld(21, 100, 16).face(1).image(), 24, 16));
        write(root.resolve("inputs/face-40.png"), world.face(2).image());
        write(root.resolve("inputs/face-13x9.png"), onCanvas(org.sdd4j.core.data.ImageTensors.resize(
                new FaceWorld(21, 100, 16).face(3).image(), 9, 9), 13, 9));
        try (Editor e = new PyTorchBackend().loadEditor(root.resolve("editor"))) {
            for (String name : List.of("face-16.png", "face-24x16.png", "face-40.png", "face-13x9.png")) {
                Image in = ImageFactory.getInstance().fromFile(root.resolve("inputs").resolve(name));
                try (OutputStream os = Files.newOutputStream(root.resolve("expected").resolve(name))) {
                    e.edit(in, "smiling").save(os, "png");
                }
            }
        }
        // four captioned training images
        Files.createDirectories(root.resolve("data"));
        List<String> captions = new ArrayList<>();
        FaceWorld small = new FaceWorld(22, 100, 16);
        for (int i = 0; i < 4; i++) {
            Face f = small.face(i);
            write(root.resolve("data/face-" + i + ".png"), f.image());
            captions.add("face-" + i + ".png," + f.caption());
        }
        Files.write(root.resolve("data/captions.txt"), captions);
    }

    private static BufferedImage onCanvas(BufferedImage face, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(face.getRGB(0, 0)));
        g.fillRect(0, 0, w, h);
        g.drawImage(face, (w - face.getWidth()) / 2, (h - face.getHeight()) / 2, null);
        g.dispose();
        return out;
    }

    private static void write(Path png, BufferedImage img) throws IOException {
        ImageIO.write(img, "png", png.toFile());
    }

    private static void index(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            Files.write(folder.resolve("index.txt"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
