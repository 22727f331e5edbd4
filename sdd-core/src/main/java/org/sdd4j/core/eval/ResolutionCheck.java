package org.sdd4j.core.eval;

import com.google.common.math.Stats;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.sdd4j.core.data.Face;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.edit.Framing;
import org.sdd4j.core.edit.FramingTemplate;
import org.sdd4j.core.edit.FullResolution;
import org.sdd4j.core.edit.ManipulatorEditor;
import org.sdd4j.core.oracle.Oracle;

/**
 * Edits at the user's resolution: held-out faces rendered at a larger size, edited by an editor trained
 * at the model resolution, compared with their counterfactuals rendered at the same size. FaceWorld
 * renders any size, so the ground truth exists at every size.
 */
public final class ResolutionCheck {

    /**
     * Share of the original's fine detail (luminance minus its 3x3 mean) in the edit region above which
     * the original's feature (its mouth line, say) counts as still visible. The share is the coefficient
     * a of the least-squares fit detail(edit) = a detail(original) + b detail(counterfactual) over the
     * region (the union of the original's and the counterfactual's): 1 for the original, 0 for the
     * counterfactual or a blurred image, 1 for two sharp mouths.
     */
    static final double KEPT_SHARE = 0.5;

    private ResolutionCheck() {}

    /**
     * One size and mode.
     *
     * @param size the side of the faces
     * @param mode how the edit was put back
     * @param success the oracle's success on the edits downsampled to the model resolution
     * @param realism distance to the counterfactuals at this size
     * @param psnrOutside mean PSNR of the edits to their inputs outside the edit region (the region in the input and in
     *     the counterfactual), dB, capped at 99: what the put-back changed where the edit should change nothing (a
     *     glow around recoloured hair, say)
     * @param originalKept share of faces whose original feature is still visible in the edit region (its fine
     *     detail correlates with the original's above 0.5): a second mouth under the new one
     * @param eyesChanged share of faces whose eyes (with the glasses, if any) came out changed: PSNR to the input
     *     inside them below {@link #EYES_CHANGED_DB} (soft eyes redrawn from the model's resolution, say); NaN for an
     *     edit of the eyes
     * @param examples the first faces: inputs, edits and counterfactuals, for pictures
     */
    public record Row(int size, FullResolution.Mode mode, double success, Realism realism, double psnrOutside,
            double originalKept, double eyesChanged, List<BufferedImage> examples) {}

    /** PSNR to the input inside the eyes below which they count as changed ({@link Row#eyesChanged()}). */
    public static final double EYES_CHANGED_DB = 30;

    /**
     * Measures an editor at larger sizes, in both modes.
     *
     * @param editor the editor (trained at {@code modelRes})
     * @param oracle the judge (at {@code modelRes})
     * @param edit the edit
     * @param n held-out faces
     * @param modelRes the model resolution
     * @param sizes the sizes to check, e.g. 128 and 256
     * @param shown faces kept for pictures
     * @return one row per size and mode
     */
    public static List<Row> run(ManipulatorEditor editor, Oracle oracle, EditTarget edit, int n, int modelRes,
            int[] sizes, int shown) {
        List<Integer> idx = HeldOut.indices(edit, n, modelRes);
        List<Face> small = HeldOut.faces(edit, n, modelRes);
        List<Row> rows = new ArrayList<>();
        for (int size : sizes) {
            FaceWorld world = HeldOut.world(size);
            // faces are drawn from their index alone, so they render on every core in any order
            List<Face> faces = idx.parallelStream().map(world::face).toList();
            List<Face> counterfactuals = HeldOut.counterfactuals(edit, idx, size);
            List<BufferedImage> in = HeldOut.images(faces);
            List<Reference> refs = references(edit, faces, counterfactuals);
            List<FullResolution.Mode> modes = Arrays.stream(FullResolution.Mode.values())
                    .filter(mode -> mode != FullResolution.Mode.LEARNED || editor.hasUpsampler(edit.name())).toList();
            java.util.Map<FullResolution.Mode, List<BufferedImage>> all = editor.editRgb(in, edit.name(), modes);
            for (FullResolution.Mode mode : modes) {
                List<BufferedImage> edited = all.get(mode);
                List<BufferedImage> down = edited.stream().map(e -> ImageTensors.resize(e, modelRes, modelRes)).toList();
                EditMetrics m = EditMetrics.measure(oracle, edit, small, down);
                Realism r = Realism.measure(edit, faces, counterfactuals, edited);
                List<BufferedImage> examples = new ArrayList<>();
                int k = Math.min(shown, faces.size());
                examples.addAll(in.subList(0, k));
                examples.addAll(edited.subList(0, k));
                examples.addAll(HeldOut.images(counterfactuals.subList(0, k)));
                rows.add(new Row(size, mode, m.success(), r, psnrOutside(refs, faces, edited), originalKept(refs, edited),
                        eyesChanged(edit, faces, edited), examples));
            }
        }
        return rows;
    }

    /**
     * One framing of a face in a picture that is not square.
     *
     * @param width the picture's width
     * @param height the picture's height
     * @param framing how the editor met it: a {@link Framing.Fit}'s name ({@code crop}, {@code pad}), or
     *     {@code region} followed by how the box given differed from the face's square, in brackets
     * @param success the oracle's success on the face's square downsampled to the model resolution
     * @param realism the face's distance to its counterfactual at the face's size
     * @param psnrOutside as {@link Row#psnrOutside()}, over the face's square
     * @param originalKept as {@link Row#originalKept()}
     * @param psnrMargins mean PSNR of the picture outside the face's square to the input's, dB, capped at 99 (99: left
     *     exactly as they were)
     * @param examples the first pictures: inputs, then edits
     */
    public record FramedRow(int width, int height, String framing, double success, Realism realism,
            double psnrOutside, double originalKept, double psnrMargins, List<BufferedImage> examples) {}

    /** How a framing hands a picture to the editor: by a fit, or by a square found for each picture. */
    private record Framer(String name, Framing.Fit fit, Function<BufferedImage, Framing.Square> square) {

        static Framer of(Framing.Fit fit) {
            return new Framer(fit.name().toLowerCase(Locale.ROOT), fit, null);
        }

        static Framer of(String name, Framing.Square square) {
            return new Framer(name, null, img -> square);
        }

        /** The same box, aligned to the template for each picture. */
        static Framer aligned(String name, Framing.Square box, FramingTemplate template) {
            return new Framer(name, null, img -> template.align(img, box));
        }
    }

    /**
     * Edits of faces in pictures that are not square: the held-out faces rendered at {@code size}, put in pictures
     * with their edge pixels repeated outwards (FaceWorld's backgrounds are flat, so that is the same face in a wider
     * frame), edited, and measured on the face's square against the counterfactual rendered at {@code size}. The
     * pictures: the face in the middle of a wide ({@code size * 4 / 3} by {@code size}) and of a tall one, with each
     * {@link Framing.Fit}; and the face off the centre of a picture twice its size across ({@code 2 size} by
     * {@code 3 size / 2}, the face's square at a quarter of the size from the left and an eighth from the top), with
     * each fit and with {@link Framing.Square} regions: the face's own square, and boxes a twentieth and a tenth of the
     * size off it (right and up), a fifth larger and a tenth smaller (what a user's box or a face detector's may be),
     * and, where the editor records a {@link FramingTemplate} for the edit, each of these boxes aligned to it.
     */
    public static List<FramedRow> framed(ManipulatorEditor editor, Oracle oracle, EditTarget edit, int n, int modelRes,
            int size, int shown) {
        if (n < 1) {
            throw new IllegalArgumentException("the framing check needs at least one face, got " + n);
        }
        List<Integer> idx = HeldOut.indices(edit, n, modelRes);
        List<Face> small = HeldOut.faces(edit, n, modelRes);
        FaceWorld world = HeldOut.world(size);
        List<Face> faces = idx.parallelStream().map(world::face).toList();
        List<Face> counterfactuals = HeldOut.counterfactuals(edit, idx, size);
        List<Reference> refs = references(edit, faces, counterfactuals);
        int wide = Math.round(size * 4f / 3f);
        List<FramedRow> rows = new ArrayList<>();
        for (int[] frame : new int[][] {{wide, size}, {size, wide}}) {
            Framing.Square face = Framing.Square.centred(frame[0], frame[1]);
            for (Framing.Fit fit : Framing.Fit.values()) {
                rows.add(framedRow(editor, oracle, edit, modelRes, small, faces, counterfactuals, refs, frame, face,
                        Framer.of(fit), shown));
            }
        }
        int[] off = {2 * size, size * 3 / 2};
        Framing.Square face = new Framing.Square(size / 4, size / 8, size);
        int tenth = size / 10;
        int twentieth = size / 20;
        // the boxes a user or a detector may give, by how they differ from the face's square
        Map<String, Framing.Square> boxes = new LinkedHashMap<>();
        boxes.put("", face);
        boxes.put("box 1/20 off", new Framing.Square(face.x() + twentieth, face.y() - twentieth, size));
        boxes.put("box 1/10 off", new Framing.Square(face.x() + tenth, face.y() - tenth, size));
        boxes.put("box 1/5 larger", Framing.Square.around(face.x() - tenth, face.y() - tenth, size + 2 * tenth,
                size + 2 * tenth));
        boxes.put("box 1/10 smaller", Framing.Square.around(face.x() + tenth / 2, face.y() + tenth / 2, size - tenth,
                size - tenth));
        List<Framer> framers = new ArrayList<>(List.of(Framer.of(Framing.Fit.PAD), Framer.of(Framing.Fit.CROP)));
        boxes.forEach((how, box) -> framers.add(Framer.of(how.isEmpty() ? "region" : "region (" + how + ")", box)));
        editor.framingTemplate(edit.name()).ifPresent(t -> boxes.forEach((how, box) -> framers.add(Framer.aligned(
                how.isEmpty() ? "region (aligned)" : "region (" + how + ", aligned)", box, t))));
        for (Framer framer : framers) {
            rows.add(framedRow(editor, oracle, edit, modelRes, small, faces, counterfactuals, refs, off, face, framer,
                    shown));
        }
        return rows;
    }

    private static FramedRow framedRow(ManipulatorEditor editor, Oracle oracle, EditTarget edit, int modelRes,
            List<Face> small, List<Face> faces, List<Face> counterfactuals, List<Reference> refs, int[] frame,
            Framing.Square face, Framer framer, int shown) {
        List<BufferedImage> in = faces.stream().map(f -> framedIn(f.image(), frame[0], frame[1], face)).toList();
        List<Framing.Square> squares = framer.square() == null ? null
                : in.parallelStream().map(framer.square()).toList();
        List<BufferedImage> seen = IntStream.range(0, in.size()).mapToObj(i -> squares == null
                ? Framing.seen(in.get(i), framer.fit()) : Framing.seen(in.get(i), squares.get(i))).toList();
        List<BufferedImage> got = editor.editRgb(seen, edit.name());
        List<BufferedImage> edited = IntStream.range(0, in.size()).mapToObj(i -> squares == null
                ? Framing.putBack(in.get(i), got.get(i), framer.fit())
                : Framing.putBack(in.get(i), got.get(i), squares.get(i))).toList();
        List<BufferedImage> square = edited.stream().map(e -> Framing.seen(e, face)).toList();
        List<BufferedImage> down = square.stream().map(e -> ImageTensors.resize(e, modelRes, modelRes)).toList();
        EditMetrics m = EditMetrics.measure(oracle, edit, small, down);
        // each face's margins against its input, then their mean over the faces (at least one, checked by framed)
        double[] perFace = new double[in.size()];
        IntStream.range(0, in.size()).parallel().forEach(i -> perFace[i] = psnrMargins(edited.get(i), in.get(i), face));
        int k = Math.min(shown, in.size());
        List<BufferedImage> examples = new ArrayList<>(in.subList(0, k));
        examples.addAll(edited.subList(0, k));
        return new FramedRow(frame[0], frame[1], framer.name(), m.success(),
                Realism.measure(edit, faces, counterfactuals, square), psnrOutside(refs, faces, square),
                originalKept(refs, square), Stats.meanOf(perFace), examples);
    }

    /**
     * {@code face} (square) in a {@code w} x {@code h} picture at {@code at} (whose side is the face's), its edge
     * pixels repeated outwards.
     */
    static BufferedImage framedIn(BufferedImage face, int w, int h, Framing.Square at) {
        int side = face.getWidth();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, face.getRGB(Math.min(side - 1, Math.max(0, x - at.x())),
                        Math.min(side - 1, Math.max(0, y - at.y()))));
            }
        }
        return out;
    }

    /** PSNR of {@code edited} to {@code input} outside the face's square {@code face}, capped at 99. */
    static double psnrMargins(BufferedImage edited, BufferedImage input, Framing.Square face) {
        int w = input.getWidth();
        int h = input.getHeight();
        boolean[] square = new boolean[w * h];
        for (int y = Math.max(0, face.y()); y < Math.min(h, face.y() + face.side()); y++) {
            for (int x = Math.max(0, face.x()); x < Math.min(w, face.x() + face.side()); x++) {
                square[y * w + x] = true;
            }
        }
        return EditMetrics.psnr(edited, input, square);
    }

    /**
     * What every mode's measurement of one face shares, computed once per size: the edit region (where the face or
     * its counterfactual has it) and the fine detail of the original and of the counterfactual.
     */
    record Reference(boolean[] region, double[] original, double[] counterfactual) {}

    static List<Reference> references(EditTarget edit, List<Face> faces, List<Face> counterfactuals) {
        return IntStream.range(0, faces.size()).parallel().mapToObj(i -> new Reference(
                region(edit, faces.get(i), counterfactuals.get(i)), detail(faces.get(i).image()),
                detail(counterfactuals.get(i).image()))).toList();
    }

    /** Mean PSNR of the edits to their inputs outside the edit region (in the input or the counterfactual). */
    static double psnrOutside(EditTarget edit, List<Face> faces, List<Face> counterfactuals,
            List<BufferedImage> edited) {
        return psnrOutside(references(edit, faces, counterfactuals), faces, edited);
    }

    private static double psnrOutside(List<Reference> refs, List<Face> faces, List<BufferedImage> edited) {
        return IntStream.range(0, faces.size()).parallel().mapToDouble(i -> EditMetrics.psnr(
                edited.get(i), faces.get(i).image(), refs.get(i).region())).sum() / Math.max(1, faces.size());
    }

    /** The edit region of a face and its counterfactual: where either has it. */
    private static boolean[] region(EditTarget edit, Face face, Face counterfactual) {
        boolean[] own = edit.regionOf(face);
        boolean[] target = edit.regionOf(counterfactual);
        boolean[] region = new boolean[own.length];
        for (int p = 0; p < own.length; p++) {
            region[p] = own[p] || target[p];
        }
        return region;
    }

    /** A share as a percentage with one decimal, or "-" when it does not apply (NaN). */
    public static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** {@link Row#eyesChanged()}: share of faces whose eyes differ from the input's by less than 30 dB PSNR. */
    static double eyesChanged(EditTarget edit, List<Face> faces, List<BufferedImage> edited) {
        if ("eyes".equals(edit.region())) {
            return Double.NaN;
        }
        long changed = IntStream.range(0, faces.size()).parallel().filter(i -> {
            boolean[] eyes = faces.get(i).eyesMask();
            boolean[] outside = new boolean[eyes.length];
            for (int p = 0; p < eyes.length; p++) {
                outside[p] = !eyes[p];
            }
            return EditMetrics.psnr(edited.get(i), faces.get(i).image(), outside) < EYES_CHANGED_DB;
        }).count();
        return faces.isEmpty() ? 0 : changed / (double) faces.size();
    }

    /** Share of faces whose original edit region (its fine detail: a mouth line, say) is still visible in the edit. */
    static double originalKept(EditTarget edit, List<Face> faces, List<Face> counterfactuals,
            List<BufferedImage> edited) {
        return originalKept(references(edit, faces, counterfactuals), edited);
    }

    private static double originalKept(List<Reference> refs, List<BufferedImage> edited) {
        // per face: NaN when it does not count (no region, or the original and the counterfactual look alike there)
        double[] shares = IntStream.range(0, refs.size()).parallel().mapToDouble(i -> {
            Reference ref = refs.get(i);
            boolean any = false;
            for (boolean r : ref.region()) {
                any |= r;
            }
            return any ? originalShare(detail(edited.get(i)), ref.original(), ref.counterfactual(), ref.region())
                    : Double.NaN;
        }).toArray();
        long counted = Arrays.stream(shares).filter(v -> !Double.isNaN(v)).count();
        long kept = Arrays.stream(shares).filter(v -> v > KEPT_SHARE).count();
        return counted == 0 ? 0 : kept / (double) counted;
    }

    /**
     * The coefficient of the original's detail in the least-squares fit of the edit's detail by the
     * original's and the counterfactual's, over a region; NaN when the two cannot be told apart there.
     */
    private static double originalShare(double[] e, double[] o, double[] c, boolean[] region) {
        double oo = 0;
        double oc = 0;
        double cc = 0;
        double eo = 0;
        double ec = 0;
        for (int p = 0; p < region.length; p++) {
            if (region[p]) {
                oo += o[p] * o[p];
                oc += o[p] * c[p];
                cc += c[p] * c[p];
                eo += e[p] * o[p];
                ec += e[p] * c[p];
            }
        }
        double det = oo * cc - oc * oc;
        if (det <= 1e-9 * Math.max(1, oo * cc)) {
            return Double.NaN;
        }
        return (eo * cc - ec * oc) / det;
    }

    /** Correlation of the fine detail (luminance minus its 3x3 mean) of two images over a region. */
    static double detailCorrelation(BufferedImage a, BufferedImage b, boolean[] region) {
        double[] ha = detail(a);
        double[] hb = detail(b);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int p = 0; p < region.length; p++) {
            if (region[p]) {
                ab += ha[p] * hb[p];
                aa += ha[p] * ha[p];
                bb += hb[p] * hb[p];
            }
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    private static double[] detail(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = ImageTensors.pixels(img);
        double[] lum = new double[px.length];
        for (int p = 0; p < px.length; p++) {
            lum[p] = 0.299 * ((px[p] >> 16) & 0xFF) + 0.587 * ((px[p] >> 8) & 0xFF) + 0.114 * (px[p] & 0xFF);
        }
        double[] out = new double[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            sum += lum[yy * w + xx];
                            n++;
                        }
                    }
                }
                out[y * w + x] = lum[y * w + x] - sum / n;
            }
        }
        return out;
    }
}
