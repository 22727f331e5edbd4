package org.sdd4j.core.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.FaceAttributes.Background;
import org.sdd4j.core.data.FaceAttributes.Hair;
import org.sdd4j.core.data.FaceAttributes.Mouth;
import org.sdd4j.core.data.FaceAttributes.Skin;

/**
 * A deterministic, seeded renderer of cartoon faces with known attributes, captions and region
 * masks: the embedded default domain. Face {@code i} of a world with seed {@code s} is the same on
 * every machine (Java2D with anti-aliasing at 4x the resolution, then a 4x4 box filter).
 */
public final class FaceWorld implements TrainingData, EmphasisRegions {

    private static final int SUPERSAMPLE = 4;
    /** Curvature bands per class; the gaps between them keep the labels unambiguous. */
    private static final double[][] MOUTH_BANDS = {{-1.0, -0.45}, {-0.12, 0.12}, {0.45, 1.0}};

    private static final Color[] HAIR = {new Color(30, 25, 22), new Color(115, 70, 35), new Color(238, 208, 120),
        new Color(196, 62, 28), new Color(172, 172, 176)};
    private static final Color[] SKIN = {new Color(250, 222, 196), new Color(208, 158, 116), new Color(124, 84, 56)};
    private static final Color[] BACKGROUND = {new Color(150, 190, 235), new Color(160, 215, 160),
        new Color(195, 165, 225), new Color(240, 230, 150)};

    private final long seed;
    private final int size;
    private final int resolution;

    /**
     * A world of {@code size} faces.
     *
     * @param seed the world's seed; different seeds give disjoint-looking sets (held-out data)
     * @param size number of faces reachable through {@link #get(int)}
     * @param resolution image height and width in pixels (at least 16)
     */
    public FaceWorld(long seed, int size, int resolution) {
        if (resolution < 16) {
            throw new IllegalArgumentException("FaceWorld resolution must be at least 16, got " + resolution);
        }
        if (size < 1) {
            throw new IllegalArgumentException("FaceWorld size must be at least 1, got " + size);
        }
        this.seed = seed;
        this.size = size;
        this.resolution = resolution;
    }

    /** Image height and width. */
    public int resolution() {
        return resolution;
    }

    /** The world's seed. */
    public long seed() {
        return seed;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public CaptionedImage get(int index) {
        return captioned(face(index));
    }

    /** The caption of face {@code index} without rendering it (the same random draws as {@link #face}). */
    @Override
    public String caption(int index) {
        SplittableRandom r = random(index);
        FaceAttributes a = drawAttributes(r);
        Geometry.draw(r);
        return Captions.caption(a, r);
    }

    private static CaptionedImage captioned(Face f) {
        return new CaptionedImage(ImageFactory.getInstance().fromImage(f.image()), f.caption());
    }

    /** The mouth, eyes and glasses are the regions the caption decides at a few pixels each. */
    @Override
    public Emphasized emphasized(int index) {
        Face f = face(index);
        boolean[] mask = f.mouthMask().clone();
        for (int i = 0; i < mask.length; i++) {
            mask[i] |= f.eyesMask()[i];
        }
        return new Emphasized(captioned(f), mask);
    }

    @Override
    public String describe() {
        return "faceworld(seed=" + seed + ", size=" + size + ", resolution=" + resolution + ")";
    }

    private SplittableRandom random(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("face " + index + " is outside [0, " + size + ")");
        }
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    /** Random attributes of face {@code index}. */
    public FaceAttributes attributes(int index) {
        return drawAttributes(random(index));
    }

    private static FaceAttributes drawAttributes(SplittableRandom r) {
        Mouth mouth = Mouth.values()[r.nextInt(3)];
        double[] band = MOUTH_BANDS[mouth.ordinal()];
        double curvature = band[0] + r.nextDouble() * (band[1] - band[0]);
        return new FaceAttributes(curvature, mouth, Hair.values()[r.nextInt(Hair.values().length)], r.nextBoolean(),
                Skin.values()[r.nextInt(Skin.values().length)],
                Background.values()[r.nextInt(Background.values().length)]);
    }

    /** Renders face {@code index}. */
    public Face face(int index) {
        SplittableRandom r = random(index);
        FaceAttributes a = drawAttributes(r);
        Geometry g = Geometry.draw(r);
        String caption = Captions.caption(a, r);
        return render(a, g, caption);
    }

    /** Renders face {@code index} with some attributes replaced: the same identity, another look. */
    public Face faceWith(int index, FaceAttributes replaced) {
        SplittableRandom r = random(index);
        drawAttributes(r);
        Geometry g = Geometry.draw(r);
        String caption = Captions.caption(replaced, r);
        return render(replaced, g, caption);
    }

    /** The mouth curvature used for a class when a specific one is needed (the band's centre). */
    public static double typicalCurvature(Mouth m) {
        double[] band = MOUTH_BANDS[m.ordinal()];
        return (band[0] + band[1]) / 2;
    }

    /** The class of a curvature, or null when it falls in a gap between bands. */
    public static Mouth mouthOf(double curvature) {
        for (Mouth m : Mouth.values()) {
            double[] band = MOUTH_BANDS[m.ordinal()];
            if (curvature >= band[0] && curvature <= band[1]) {
                return m;
            }
        }
        return null;
    }

    /** Identity: the shape and placement of a face, independent of its attributes. */
    record Geometry(double cx, double cy, double rx, double ry, double eyeSpacing, double eyeRadius,
            double mouthHalfWidth, boolean longHair, double fringe) {
        static Geometry draw(SplittableRandom r) {
            double rx = 0.24 + 0.06 * r.nextDouble();
            return new Geometry(0.5 + 0.08 * (r.nextDouble() - 0.5), 0.54 + 0.06 * (r.nextDouble() - 0.5), rx,
                    rx * (1.05 + 0.2 * r.nextDouble()), rx * (0.36 + 0.14 * r.nextDouble()),
                    rx * (0.10 + 0.04 * r.nextDouble()), rx * (0.46 + 0.14 * r.nextDouble()), r.nextBoolean(),
                    0.45 + 0.2 * r.nextDouble());
        }
    }

    private Face render(FaceAttributes a, Geometry g, String caption) {
        int s = resolution * SUPERSAMPLE;
        BufferedImage big = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = big.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        gr.setColor(BACKGROUND[a.background().ordinal()]);
        gr.fillRect(0, 0, s, s);

        Shape faceShape = ellipse(g.cx, g.cy, g.rx, g.ry, s);
        Area hair = hairArea(g, s);
        Area visibleHair = new Area(hair);
        visibleHair.subtract(new Area(faceShape));
        Area fringe = new Area(faceShape);
        fringe.intersect(new Area(new Rectangle2D.Double(0, 0, s, (g.cy - g.ry * g.fringe) * s)));
        visibleHair.add(fringe);

        gr.setColor(HAIR[a.hair().ordinal()]);
        gr.fill(hair);
        gr.setColor(SKIN[a.skin().ordinal()]);
        gr.fill(faceShape);
        gr.setColor(HAIR[a.hair().ordinal()]);
        gr.fill(fringe);

        double eyeY = g.cy - g.ry * 0.12;
        Shape leftEye = ellipse(g.cx - g.eyeSpacing, eyeY, g.eyeRadius, g.eyeRadius, s);
        Shape rightEye = ellipse(g.cx + g.eyeSpacing, eyeY, g.eyeRadius, g.eyeRadius, s);
        gr.setColor(new Color(25, 25, 35));
        gr.fill(leftEye);
        gr.fill(rightEye);
        Area eyes = new Area(leftEye);
        eyes.add(new Area(rightEye));
        if (a.glasses()) {
            double lensR = g.eyeRadius * 2.4;
            float lw = (float) (g.rx * 0.07 * s);
            gr.setStroke(new BasicStroke(lw));
            gr.setColor(new Color(35, 35, 40));
            Shape l = ellipse(g.cx - g.eyeSpacing, eyeY, lensR, lensR * 0.85, s);
            Shape rr = ellipse(g.cx + g.eyeSpacing, eyeY, lensR, lensR * 0.85, s);
            Shape bridge = new Line2D.Double((g.cx - g.eyeSpacing + lensR) * s, eyeY * s,
                    (g.cx + g.eyeSpacing - lensR) * s, eyeY * s);
            gr.draw(l);
            gr.draw(rr);
            gr.draw(bridge);
            BasicStroke st = new BasicStroke(lw);
            eyes.add(new Area(st.createStrokedShape(l)));
            eyes.add(new Area(st.createStrokedShape(rr)));
            eyes.add(new Area(st.createStrokedShape(bridge)));
        }

        // a wide, thick mouth with a deep curve: at 32x32 the smile/frown must be a few pixels, not one
        double my = g.cy + g.ry * 0.46;
        double depth = g.ry * 0.32;
        double mw = g.mouthHalfWidth;
        QuadCurve2D mouthCurve = new QuadCurve2D.Double((g.cx - mw) * s, my * s, g.cx * s,
                (my + 2 * depth * a.mouthCurvature()) * s, (g.cx + mw) * s, my * s);
        gr.setStroke(new BasicStroke((float) (g.rx * 0.17 * s), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        gr.setColor(new Color(190, 30, 45));
        gr.draw(mouthCurve);
        gr.dispose();

        // the region any mouth of this face can occupy, whatever its curvature
        double pad = g.rx * 0.12;
        Shape mouthRegion = new RoundRectangle2D.Double((g.cx - mw - pad) * s, (my - depth - pad) * s,
                (2 * mw + 2 * pad) * s, (2 * depth + 2 * pad) * s, pad * s, pad * s);
        // the hair's region: every pixel a hair colour changes, including the face's anti-aliased rim over the hair
        Area hairRegion = new Area(visibleHair);
        Area rim = new Area(new BasicStroke(2f).createStrokedShape(faceShape));
        rim.intersect(hair);
        hairRegion.add(rim);
        return new Face(downsample(big), a, caption, mask(mouthRegion, s), mask(hairRegion, s, true), mask(eyes, s));
    }

    private static Area hairArea(Geometry g, int s) {
        Area hair = new Area(ellipse(g.cx, g.cy - g.ry * 0.18, g.rx * 1.13, g.ry * 0.98, s));
        if (g.longHair) {
            hair.add(new Area(new Rectangle2D.Double((g.cx - g.rx * 1.13) * s, (g.cy - g.ry * 0.2) * s,
                    g.rx * 2.26 * s, g.ry * 0.95 * s)));
        }
        return hair;
    }

    private static Ellipse2D ellipse(double cx, double cy, double rx, double ry, int s) {
        return new Ellipse2D.Double((cx - rx) * s, (cy - ry) * s, 2 * rx * s, 2 * ry * s);
    }

    private BufferedImage downsample(BufferedImage big) {
        int n = resolution;
        BufferedImage out = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        int[] px = ImageTensors.pixels(big);
        int[] small = new int[n * n];
        int w = big.getWidth();
        int k = SUPERSAMPLE * SUPERSAMPLE;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int r = 0;
                int gg = 0;
                int b = 0;
                for (int dy = 0; dy < SUPERSAMPLE; dy++) {
                    for (int dx = 0; dx < SUPERSAMPLE; dx++) {
                        int p = px[(y * SUPERSAMPLE + dy) * w + x * SUPERSAMPLE + dx];
                        r += (p >> 16) & 0xFF;
                        gg += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                small[y * n + x] = ((r + k / 2) / k) << 16 | ((gg + k / 2) / k) << 8 | ((b + k / 2) / k);
            }
        }
        ImageTensors.setPixels(out, 0, 0, n, n, small);
        return out;
    }

    /** The pixels with at least a quarter of their sub-pixels inside a shape. */
    private boolean[] mask(Shape shape, int s) {
        return mask(shape, s, false);
    }

    /**
     * The pixels a shape covers. With {@code touched}, every pixel whose colour the shape can change: the
     * shape drawn anti-aliased as the image is, any sub-pixel it reaches at all (a hair colour changes these
     * and no others); else the pixels with at least a quarter of their sub-pixels inside it.
     */
    private boolean[] mask(Shape shape, int s, boolean touched) {
        BufferedImage m = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = m.createGraphics();
        if (touched) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }
        g.setColor(Color.WHITE);
        g.fill(shape);
        g.dispose();
        int n = resolution;
        int threshold = touched ? 0 : 127;
        int needed = touched ? 1 : SUPERSAMPLE * SUPERSAMPLE / 4;
        boolean[] out = new boolean[n * n];
        byte[] data = ((java.awt.image.DataBufferByte) m.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int covered = 0;
                for (int dy = 0; dy < SUPERSAMPLE; dy++) {
                    for (int dx = 0; dx < SUPERSAMPLE; dx++) {
                        if ((data[(y * SUPERSAMPLE + dy) * s + x * SUPERSAMPLE + dx] & 0xFF) > threshold) {
                            covered++;
                        }
                    }
                }
                out[y * n + x] = covered >= needed;
            }
        }
        return out;
    }

    /** Renders the first {@code n} faces. */
    public List<Face> faces(int from, int n) {
        List<Face> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(face(i));
        }
        return out;
    }

    /** The same faces as DJL images. */
    public static List<Image> images(List<Face> faces) {
        return faces.stream().map(f -> ImageFactory.getInstance().fromImage(f.image())).toList();
    }
}
