package org.sdd4j.core.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.sdd4j.core.io.AtomicFiles;

/** Image grids (sample sheets, before/after comparisons) written as PNG. */
public final class Grids {

    private Grids() {}

    /**
     * Tiles images row by row, each scaled by an integer factor (nearest neighbour, so pixels stay
     * visible), with a 2-pixel white gutter.
     */
    public static BufferedImage grid(List<BufferedImage> images, int columns, int scale) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to tile");
        }
        int w = images.get(0).getWidth() * scale;
        int h = images.get(0).getHeight() * scale;
        int rows = (images.size() + columns - 1) / columns;
        int gap = 2;
        BufferedImage out = new BufferedImage(columns * (w + gap) + gap, rows * (h + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int i = 0; i < images.size(); i++) {
            int x = gap + (i % columns) * (w + gap);
            int y = gap + (i / columns) * (h + gap);
            g.drawImage(images.get(i), x, y, w, h, null);
        }
        g.dispose();
        return out;
    }

    /** Writes a grid as PNG, atomically. */
    public static void write(Path png, List<BufferedImage> images, int columns, int scale) {
        writePng(png, grid(images, columns, scale));
    }

    /** Writes an image as PNG, atomically. */
    public static void writePng(Path png, BufferedImage image) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(png, buf.toByteArray());
    }
}
