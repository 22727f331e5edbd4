package org.sdd4j.api;

import ai.djl.modality.cv.Image;

/**
 * One training example: an image and its caption.
 *
 * @param image the image
 * @param caption what it shows, for example {@code "a smiling face with blond hair"}
 */
public record CaptionedImage(Image image, String caption) {}
