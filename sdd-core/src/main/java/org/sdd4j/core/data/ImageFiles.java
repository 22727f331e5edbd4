package org.sdd4j.core.data;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.sdd4j.core.io.Messages;

/**
 * Reads image files safely: the size is taken from the header before anything is decoded and checked
 * against {@link #maxPixels()}, images whose colours Java would get wrong (CMYK and YCCK JPEGs)
 * are refused with a message instead of coming out washed out, and a picture that records an EXIF
 * orientation (a phone photo taken upright, stored sideways) is turned upright, as viewers show it.
 */
public final class ImageFiles {

    /** System property that sets the pixel limit. */
    public static final String MAX_PIXELS_PROPERTY = "sdd.maxPixels";
    /** Bytes of heap budgeted per pixel of an edited image (decoded input, working copies, result). */
    static final int BYTES_PER_PIXEL = 40;

    private ImageFiles() {}

    /**
     * The largest image (width x height) the library decodes or edits: the system property
     * {@value #MAX_PIXELS_PROPERTY} if set, else the JVM's maximum heap divided by {@value #BYTES_PER_PIXEL}
     * (about 150 megapixels with a 6 GB heap). Raise it with a larger {@code -Xmx}.
     */
    public static long maxPixels() {
        String p = System.getProperty(MAX_PIXELS_PROPERTY);
        if (p != null) {
            try {
                return Long.parseLong(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + MAX_PIXELS_PROPERTY + " must be a whole number"
                        + " of pixels, got '" + p + "'", e);
            }
        }
        return Runtime.getRuntime().maxMemory() / BYTES_PER_PIXEL;
    }

    /**
     * Refuses an image larger than {@link #maxPixels()}.
     *
     * @param width the width
     * @param height the height
     * @param what the image, for the message
     */
    public static void checkSize(long width, long height, String what) {
        long max = maxPixels();
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(what + " has no pixels (" + width + " x " + height + ")");
        }
        if (width * height > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is %d x %d = %.1f megapixels; the limit"
                    + " is %.1f megapixels (the Java heap / %d bytes per pixel); downscale it, give Java more memory"
                    + " (-Xmx), or set -D%s", what, width, height, width * height / 1e6, max / 1e6, BYTES_PER_PIXEL,
                    MAX_PIXELS_PROPERTY));
        }
    }

    /**
     * Reads an image file (PNG, JPEG, BMP, GIF).
     *
     * @param file the file
     * @return the decoded image
     * @throws IllegalArgumentException saying what is wrong with the file
     */
    public static BufferedImage read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(file + " is a folder, not an image file");
            }
            if (Files.size(file) == 0) {
                throw new IllegalArgumentException(file + " is empty (0 bytes)");
            }
            try (InputStream head = Files.newInputStream(file)) {
                refuseCmyk(jpegComponents(head), file.toString());
            }
            BufferedImage img;
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                img = decode(in, file.toString());
            }
            try (InputStream meta = new java.io.BufferedInputStream(Files.newInputStream(file))) {
                return upright(img, orientation(meta));
            }
        } catch (IOException | RuntimeException e) {
            throw failure(e, file.toString());
        }
    }

    /**
     * Decodes an image held in memory (PNG, JPEG, BMP, GIF) with the same checks as {@link #read(Path)}.
     *
     * @param bytes the encoded image
     * @param name what to call it in messages (a path or a row id)
     * @return the decoded image
     * @throws IllegalArgumentException saying what is wrong with the bytes
     */
    public static BufferedImage decode(byte[] bytes, String name) {
        try {
            if (bytes == null || bytes.length == 0) {
                throw new IllegalArgumentException(name + " is empty (0 bytes)");
            }
            refuseCmyk(jpegComponents(new java.io.ByteArrayInputStream(bytes)), name);
            BufferedImage img;
            try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
                img = decode(in, name);
            }
            return upright(img, orientation(new java.io.ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) {
            throw failure(e, name);
        }
    }

    /**
     * The EXIF orientation an image file records (1 to 8; 1, upright, when it records none or it cannot be read): how
     * a camera that stored the sensor's rows as they came asks viewers to turn the picture. Java's decoders ignore it.
     */
    static int orientation(InputStream in) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(in);
            for (ExifIFD0Directory dir : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
            return 1;
        } catch (ImageProcessingException | MetadataException | IOException | RuntimeException e) {
            // metadata that cannot be read leaves the pixels as stored, as every decoder does
            return 1;
        }
    }

    /**
     * The image as a viewer shows it, given its EXIF orientation: turned and mirrored so that its first row is the
     * picture's top (orientations 5 to 8 swap width and height). Orientation 1 returns the image itself.
     */
    static BufferedImage upright(BufferedImage stored, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return stored;
        }
        BufferedImage s = ImageTensors.toRgb(stored);
        int w = s.getWidth();
        int h = s.getHeight();
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] src = ImageTensors.pixels(s);
        int[] dst = new int[dw * dh];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                dst[y * dw + x] = src[sy * w + sx];
            }
        }
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        ImageTensors.setPixels(out, 0, 0, dw, dh, dst);
        return out;
    }

    private static void refuseCmyk(int components, String name) {
        if (components == 4) {
            throw new IllegalArgumentException(name + " is a CMYK (or YCCK) JPEG, whose colours Java's decoder"
                    + " gets wrong; convert it to RGB first (e.g. `convert in.jpg -colorspace sRGB out.png`)");
        }
    }

    private static BufferedImage decode(ImageInputStream in, String name) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IllegalArgumentException(name + " is not a readable image: not in a format Java reads (PNG, JPEG,"
                    + " BMP, GIF)");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            checkSize(reader.getWidth(0), reader.getHeight(0), name);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static IllegalArgumentException failure(Exception e, String name) {
        if (e instanceof IllegalArgumentException iae) {
            return iae;
        }
        if (e instanceof IOException io) {
            return new IllegalArgumentException("could not read image " + name + ": " + Messages.describe(io), e);
        }
        if (e instanceof UncheckedIOException u) {
            return new IllegalArgumentException("could not read image " + name + ": " + Messages.describe(u), e);
        }
        return new IllegalArgumentException("could not decode image " + name + " (damaged?): " + e, e);
    }

    /**
     * The number of colour components of a JPEG (from its start-of-frame marker), or -1 if the file is
     * not a JPEG or has no frame header.
     */
    static int jpegComponents(InputStream raw) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readUnsignedByte() != 0xFF || in.readUnsignedByte() != 0xD8) {
                return -1;
            }
            while (true) {
                int b = in.readUnsignedByte();
                if (b != 0xFF) {
                    return -1;
                }
                int marker = in.readUnsignedByte();
                while (marker == 0xFF) {
                    marker = in.readUnsignedByte();
                }
                if (marker == 0xD9 || marker == 0xDA) {
                    return -1;
                }
                int length = in.readUnsignedShort();
                boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (sof) {
                    in.readUnsignedByte(); // precision
                    in.readUnsignedShort(); // height
                    in.readUnsignedShort(); // width
                    return in.readUnsignedByte();
                }
                in.skipNBytes(length - 2);
            }
        } catch (java.io.EOFException e) {
            return -1;
        }
    }
}
