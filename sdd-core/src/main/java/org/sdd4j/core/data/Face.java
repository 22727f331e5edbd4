package org.sdd4j.core.data;

import java.awt.image.BufferedImage;

/**
 * One rendered face: the image, its attributes, its caption and its region masks (row-major,
 * resolution x resolution, true where the region covers at least a quarter of the pixel).
 *
 * @param image the RGB image
 * @param attributes the labels
 * @param caption a caption that names some of the attributes
 * @param mouthMask the mouth region (slightly dilated)
 * @param hairMask the hair
 * @param eyesMask the eyes and, if present, the glasses
 */
public record Face(BufferedImage image, FaceAttributes attributes, String caption, boolean[] mouthMask,
        boolean[] hairMask, boolean[] eyesMask) {}
