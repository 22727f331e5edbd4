package org.sdd4j.examples.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.core.edit.GuidedUpsampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the guided upsampler that put-back LEARNED carries edits to full resolution with. */
@Command(name = "train-upsampler", mixinStandardHelpOptions = true,
        description = {"Train a guided upsampler on the data's images (FaceWorld by default): it carries an edit made at"
            + " --resolution to larger images with sharp detail (`sdd distill --put-back LEARNED --upsampler DIR`). It"
            + " learns from the images alone (no edits): each is shrunk to the model resolution and learned back from"
            + " that and the full-size image with a random rectangle hidden (as the editor hides the region an edit"
            + " changed). Reports the PSNR inside such rectangles on held-out images, learned against bilinear."})
final class TrainUpsamplerCommand implements Callable<Integer> {

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", required = true, description = "Upsampler folder to write.")
    Path out;

    @Option(names = "--sizes", split = ",", description = "Image sizes it learns to carry edits to (default: 4 and 8"
            + " times --resolution).")
    List<Integer> sizes;

    @Option(names = "--steps", description = "Steps (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int steps;

    @Option(names = "--batch", description = "Crops per step (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "0.002")
    float lr;

    @Option(names = "--blur", description = "Largest blur (Gaussian sigma, in pixels at --resolution) of the shrunk"
            + " training images, drawn per image from [0, blur], so that soft strokes come out sharp (default:"
            + " ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double blur;

    @Option(names = "--stain", description = "Largest colour change (per channel, in [-1, 1] units) of the soft stains"
            + " painted into the shrunk training images where they are hidden, to teach the upsampler to leave out the"
            + " soft stains an edit leaves where it removed something (on the demo's smile it did not remove the pale"
            + " patch; default: ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double stain;

    @Option(names = "--thicken", description = "Largest blend (in [0, 1], drawn per image) of each pixel where the"
            + " shrunk training images are hidden toward the neighbour that stands out most, so the strokes there come"
            + " out up to a pixel thicker, to teach the upsampler to draw an edit's thick strokes thinner (default:"
            + " ${DEFAULT-VALUE}, none).", defaultValue = "0")
    double thicken;

    @Mixin
    ForceOption force;

    @Override
    public Integer call() {
        GuidedUpsampler.Options d = GuidedUpsampler.Options.defaults(dataOptions.resolution());
        List<Integer> s = sizes == null || sizes.isEmpty() ? d.sizes() : sizes;
        GuidedUpsampler.Options o = new GuidedUpsampler.Options(steps, batch, lr, d.resolution(), s, d.crop(), d.seed())
                .withBlur(blur).withStain(stain).withThicken(thicken);
        int largest = Collections.max(s);
        DataOptions.Split split = dataOptions.trainAndHeldOut(largest);
        double[] psnr;
        try (NDManager m = Backends.bestForTraining().newManager(); Progress bar = new Progress("upsampler", steps)) {
            psnr = GuidedUpsampler.train(split.train(), split.heldOut(), o, out, m, bar, force.force);
        }
        System.out.printf("upsampler written to %s; inside hidden regions of %s: learned %.1f dB, bilinear %.1f dB%n",
                out, split.heldOut().describe(), psnr[1], psnr[0]);
        return 0;
    }
}
