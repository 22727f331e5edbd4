package com.example;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sdd4j.api.Editor;

/** Edits one picture with a trained editor bundle: QuickStart [bundle] [input.png] [output.png]. */
public final class QuickStart {

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args.length > 0 ? args[0] : "sdd-demo/editor");
        Path input = Path.of(args.length > 1 ? args[1] : "face.png");
        Path output = Path.of(args.length > 2 ? args[2] : "smiling.png");
        try (Editor editor = Editor.load(bundle)) {                  // the best backend on the class path
            Image image = ImageFactory.getInstance().fromFile(input);    // any size
            Image edited = editor.edit(image, "smiling");                // one forward pass
            try (OutputStream out = Files.newOutputStream(output, StandardOpenOption.CREATE_NEW)) {
                edited.save(out, "png");                                 // never overwrites a file
            }
        }
        System.out.println(input + " -> " + output);
    }
}
