package org.sdd4j.examples.cli;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.Editor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Applies an edit to image files. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Apply a trained edit to images (any size) in one forward pass; results keep the input size.")
final class EditCommand implements Callable<Integer> {

    @Option(names = "--editor", required = true, description = "The editor bundle folder (or SavedModel export with --backend tensorflow).")
    Path editor;

    @Option(names = "--edit", required = true, description = "The edit to apply, e.g. smiling.")
    String edit;

    @Option(names = "--out", required = true, description = "Output folder (PNG files named like the inputs).")
    Path out;

    @Option(names = "--backend", defaultValue = "pytorch", description = "Backend: pytorch for an editor bundle,"
            + " tensorflow for a folder written by `sdd export --format savedmodel` (default: ${DEFAULT-VALUE}).")
    String backend;

    @Parameters(arity = "1..*", description = "Input images (PNG, JPEG, BMP, GIF).")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        try (Editor e = Editor.load(editor, backend)) {
            for (Path in : inputs) {
                Image img;
                try {
                    img = ImageFactory.getInstance().fromFile(in);
                } catch (IOException | RuntimeException ex) {
                    throw new IllegalArgumentException("could not read image " + in + ": " + ex.getMessage(), ex);
                }
                Image result = e.edit(img, edit);
                String name = in.getFileName().toString().replaceAll("\\.[^.]*$", "") + ".png";
                try (OutputStream os = Files.newOutputStream(out.resolve(name))) {
                    result.save(os, "png");
                }
                System.out.println(in + " -> " + out.resolve(name));
            }
        }
        return 0;
    }
}
