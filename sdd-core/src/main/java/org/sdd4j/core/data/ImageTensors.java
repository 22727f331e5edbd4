package org.sdd4j.core.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Conversions between images and NCHW float tensors in [-1, 1], the convention of every network
 * here. Any input (alpha, grey, 16-bit, palette) is first converted to 8-bit sRGB by Java2D.
 */
public final class ImageTensors {

    /** Largest accepted side, to refuse decompression bombs before allocating. */
    public static final int MAX_SIDE = 16384;

    private ImageTensors() {}

    /**
     * The pixels of a rectangle as packed 0xRRGGBB ints (the top byte is unspecified: read the channels with
     * masks), row by row. Images stored as packed ints are copied straight from their raster; any other kind
     * goes through {@link BufferedImage#getRGB}, which converts pixel by pixel and costs ten times as much.
     */
    public static int[] pixels(BufferedImage img, int x, int y, int w, int h) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB) {
            return (int[]) img.getRaster().getDataElements(x, y, w, h, null);
        }
        return img.getRGB(x, y, w, h, null, 0, w);
    }

    /** {@link #pixels(BufferedImage, int, int, int, int)} of the whole image. */
    public static int[] pixels(BufferedImage img) {
        return pixels(img, 0, 0, img.getWidth(), img.getHeight());
    }

    /** Writes packed 0xRRGGBB ints (row by row) into a rectangle of a TYPE_INT_RGB image. */
    public static void setPixels(BufferedImage img, int x, int y, int w, int h, int[] px) {
        if (img.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected a TYPE_INT_RGB image, got type " + img.getType());
        }
        if (px.length < w * h) {
            throw new IllegalArgumentException(px.length + " pixels for a " + w + "x" + h + " rectangle");
        }
        img.getRaster().setDataElements(x, y, w, h, px);
    }

    /** The image as an 8-bit RGB BufferedImage, converting alpha (over white), grey and 16-bit inputs. */
    public static BufferedImage toRgb(Image image) {
        Object wrapped = image.getWrappedImage();
        BufferedImage src;
        if (wrapped instanceof BufferedImage bi) {
            src = bi;
        } else {
            NDManager m = NDManager.newBaseManager();
            try (m) {
                NDArray hwc = image.toNDArray(m, Image.Flag.COLOR);
                src = (BufferedImage) ImageFactory.getInstance().fromNDArray(hwc).getWrappedImage();
            }
        }
        return toRgb(src);
    }

    /** The BufferedImage as TYPE_INT_RGB (alpha composited over white). */
    public static BufferedImage toRgb(BufferedImage src) {
        if (src.getWidth() > MAX_SIDE || src.getHeight() > MAX_SIDE) {
            throw new IllegalArgumentException("image of " + src.getWidth() + "x" + src.getHeight()
                    + " is larger than the supported " + MAX_SIDE + "x" + MAX_SIDE);
        }
        ImageFiles.checkSize(src.getWidth(), src.getHeight(), "an image of " + src.getWidth() + " x " + src.getHeight());
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, src.getWidth(), src.getHeight());
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Resizes with bilinear filtering, halving first while the image is more than twice too big. */
    public static BufferedImage resize(BufferedImage src, int width, int height) {
        BufferedImage cur = toRgb(src);
        if (cur.getWidth() == width && cur.getHeight() == height) {
            return cur;
        }
        while (cur.getWidth() >= 2 * width && cur.getHeight() >= 2 * height) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return draw(cur, width, height);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** CHW floats in [-1, 1] of an image resized to size x size. */
    public static float[] toChw(BufferedImage img, int size) {
        return toChw(resize(img, size, size));
    }

    /** CHW floats in [-1, 1] of an image at its own size. */
    public static float[] toChw(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = pixels(img);
        int hw = w * h;
        float[] out = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            int p = px[i];
            out[i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
            out[hw + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
            out[2 * hw + i] = (p & 0xFF) / 127.5f - 1f;
        }
        return out;
    }

    /** A (B, 3, size, size) batch in [-1, 1]. */
    public static NDArray batch(List<BufferedImage> images, int size, NDManager manager) {
        int n = 3 * size * size;
        float[] all = new float[images.size() * n];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(toChw(images.get(i), size), 0, all, i * n, n);
        }
        return manager.create(all, new Shape(images.size(), 3, size, size));
    }

    /** A batch from DJL images. */
    public static NDArray batchOfImages(List<Image> images, int size, NDManager manager) {
        return batch(images.stream().map(ImageTensors::toRgb).toList(), size, manager);
    }

    /** The images of a (B, 3, H, W) batch in [-1, 1] (values are clamped). */
    public static List<BufferedImage> toImages(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected a (B, 3, H, W) batch, got " + s);
        }
        int b = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] v = batch.toType(DataType.FLOAT32, false).toFloatArray();
        List<BufferedImage> out = new java.util.ArrayList<>(b);
        int hw = h * w;
        for (int i = 0; i < b; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[hw];
            int o = i * 3 * hw;
            for (int k = 0; k < hw; k++) {
                px[k] = toByte(v[o + k]) << 16 | toByte(v[o + hw + k]) << 8 | toByte(v[o + 2 * hw + k]);
            }
            setPixels(img, 0, 0, w, h, px);
            out.add(img);
        }
        return out;
    }

    /** [-1, 1] to 0..255, rounded and clamped. */
    public static int toByte(float x) {
        int b = Math.round((x + 1f) * 127.5f);
        return b < 0 ? 0 : Math.min(b, 255);
    }
}
