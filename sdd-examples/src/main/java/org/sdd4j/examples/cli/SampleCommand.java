package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.report.Grids;
import org.sdd4j.core.teacher.DdimSampler;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Samples a grid from a teacher. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate a grid of images from a teacher with guided DDIM.")
final class SampleCommand implements Callable<Integer> {

    @Mixin
    TeacherOption teacherOption;

    @Option(names = "--prompt", required = true, description = "The prompt, e.g. \"a smiling face\".")
    String prompt;

    @Option(names = "--count", description = "Images (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int count;

    @Option(names = "--steps", description = "DDIM steps (default: ${DEFAULT-VALUE}).", defaultValue = "50")
    int steps;

    @Option(names = "--cfg", description = "Guidance scale (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    float cfg;

    @Option(names = "--seed", description = "Noise seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--out", description = "PNG to write (default: ${DEFAULT-VALUE}).", defaultValue = "samples.png")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        overwrite.check(out);
        SddBackend backend = Backends.bestForTraining();
        try (DiffusionTeacher teacher = backend.loadTeacher(teacherOption.folder());
                NDManager m = backend.newManager(); Conditioning c = teacher.encode(prompt, m)) {
            NDArray x = DdimSampler.sample(teacher, c, count, steps, cfg, seed, m);
            Grids.write(out, ImageTensors.toImages(x), 8, 3);
        }
        System.out.println("wrote " + out);
        return 0;
    }
}
