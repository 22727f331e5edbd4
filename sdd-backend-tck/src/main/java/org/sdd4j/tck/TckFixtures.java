package org.sdd4j.tck;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;

/**
 * The kit's fixtures, shipped in this jar under {@code org/sdd4j/tck/}: a tiny editor bundle and a tiny
 * untrained teacher (written by the reference backend's generator, {@code TckFixtureGenerator} in
 * sdd-backend-pytorch's tests), input images of several sizes and the reference backend's edits of them,
 * and four captioned training images.
 */
public final class TckFixtures {

    /** The edit in the kit's bundle. */
    public static final String EDIT = "smiling";
    /** The input images (also the names of the expected outputs). */
    public static final List<String> INPUTS = List.of("face-16.png", "face-24x16.png", "face-40.png", "face-13x9.png");

    private static final String ROOT = "/org/sdd4j/tck/";

    private TckFixtures() {}

    /** Copies a fixture folder (listed in its {@code index.txt}) to a folder on disk. */
    public static Path copy(String fixture, Path to) {
        try {
            Files.createDirectories(to);
            for (String name : lines(fixture + "/index.txt")) {
                try (InputStream in = open(fixture + "/" + name)) {
                    Files.copy(in, to.resolve(name));
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the kit's " + fixture + " to " + to, e);
        }
    }

    /** An image of the kit. */
    public static Image image(String resource) {
        try (InputStream in = open(resource)) {
            return ImageFactory.getInstance().fromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest difference of two images in 8-bit levels over all pixels and channels; sizes must match. */
    public static int maxDifference(Image a, Image b) {
        BufferedImage x = rgb(a);
        BufferedImage y = rgb(b);
        if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
            throw new AssertionError("image of " + x.getWidth() + "x" + x.getHeight() + " where " + y.getWidth() + "x"
                    + y.getHeight() + " was expected");
        }
        int max = 0;
        for (int yy = 0; yy < x.getHeight(); yy++) {
            for (int xx = 0; xx < x.getWidth(); xx++) {
                int p = x.getRGB(xx, yy);
                int q = y.getRGB(xx, yy);
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(((p >> 8 * c) & 0xFF) - ((q >> 8 * c) & 0xFF)));
                }
            }
        }
        return max;
    }

    private static BufferedImage rgb(Image im) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            im.save(buf, "png");
            return ImageIO.read(new java.io.ByteArrayInputStream(buf.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Four captioned 16x16 faces for a short distillation. */
    public static TrainingData data() {
        List<String> rows = lines("data/captions.txt");
        List<CaptionedImage> examples = new ArrayList<>();
        for (String row : rows) {
            int comma = row.indexOf(',');
            examples.add(new CaptionedImage(image("data/" + row.substring(0, comma)), row.substring(comma + 1)));
        }
        return new TrainingData() {
            @Override
            public int size() {
                return examples.size();
            }

            @Override
            public CaptionedImage get(int index) {
                return examples.get(index);
            }

            @Override
            public String describe() {
                return "tck-data(n=" + examples.size() + ")";
            }
        };
    }

    /**
     * Resident memory of this process outside the Java heap in MB (Linux), or -1: native memory is what
     * an engine leaks, and the heap's own growth (which the JVM may keep) would hide it.
     */
    static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    return Math.max(1, rss - Runtime.getRuntime().totalMemory() / (1024 * 1024));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = open(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = TckFixtures.class.getResourceAsStream(ROOT + resource);
        if (in == null) {
            throw new IllegalStateException("the kit lacks its fixture " + ROOT + resource);
        }
        return in;
    }
}
