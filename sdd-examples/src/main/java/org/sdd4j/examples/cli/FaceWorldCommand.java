package org.sdd4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.report.Grids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Renders FaceWorld faces, one PNG each (or a grid), and prints their captions. */
@Command(name = "faceworld", mixinStandardHelpOptions = true,
        description = {"Render FaceWorld faces (the embedded default domain) and print their captions: one PNG per"
            + " face in --out (face-0000.png, ...), something to try `sdd edit` on; with --grid, one grid PNG."})
final class FaceWorldCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Folder for the faces, or the PNG file with --grid (default: ${DEFAULT-VALUE}).",
            defaultValue = "faceworld")
    Path out;

    @Option(names = "--grid", description = "Write one grid image to --out instead of one file per face.")
    boolean grid;

    @Option(names = "--count", description = "Faces (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int count;

    @Option(names = "--resolution", description = "Resolution (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int resolution;

    @Option(names = "--seed", description = "World seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        FaceWorld world = new FaceWorld(seed, count, resolution);
        var faces = world.faces(0, count);
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            System.out.printf("%3d  %-70s %s%n", i, f.caption(), f.attributes());
        }
        if (grid) {
            overwrite.check(out);
            Grids.write(out, faces.stream().map(Face::image).toList(), 8, Math.max(1, 96 / resolution));
            System.out.println("wrote " + out);
            return 0;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a folder, or add --grid for one image");
        }
        Path[] files = new Path[faces.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = out.resolve(String.format(java.util.Locale.ROOT, "face-%04d.png", i));
        }
        overwrite.check(files);
        for (int i = 0; i < files.length; i++) {
            Grids.writePng(files[i], faces.get(i).image());
        }
        System.out.println("wrote " + files.length + " faces to " + out + "; try: ./sdd edit --editor sdd-demo/editor"
                + " --edit smiling " + files[0] + " --out edited/");
        return 0;
    }
}
