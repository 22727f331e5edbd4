package org.sdd4j.core.testing;

import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.util.function.IntFunction;
import org.sdd4j.api.CaptionedImage;
import org.sdd4j.api.TrainingData;

/** Training data made of pictures drawn by a test. */
public final class TestPictures {

    private TestPictures() {}

    /** {@code n} images, the {@code i}-th drawn by {@code image} and captioned by {@code caption}. */
    public static TrainingData data(int n, IntFunction<BufferedImage> image, IntFunction<String> caption) {
        return new TrainingData() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public CaptionedImage get(int i) {
                return new CaptionedImage(ImageFactory.getInstance().fromImage(image.apply(i)), caption(i));
            }

            @Override
            public String caption(int i) {
                return caption.apply(i);
            }

            @Override
            public String describe() {
                return "test pictures";
            }
        };
    }
}
