package org.sdd4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.report.Grids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Renders a grid of FaceWorld samples and prints their captions. */
@Command(name = "faceworld", mixinStandardHelpOptions = true,
        description = "Render a grid of FaceWorld faces (the embedded default domain) and print their captions.")
final class FaceWorldCommand implements Callable<Integer> {

    @Option(names = "--out", description = "PNG to write (default: ${DEFAULT-VALUE}).", defaultValue = "faceworld.png")
    Path out;

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
        overwrite.check(out);
        FaceWorld world = new FaceWorld(seed, count, resolution);
        var faces = world.faces(0, count);
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            System.out.printf("%3d  %-70s %s%n", i, f.caption(), f.attributes());
        }
        Grids.write(out, faces.stream().map(Face::image).toList(), 8, Math.max(1, 96 / resolution));
        System.out.println("wrote " + out);
        return 0;
    }
}
