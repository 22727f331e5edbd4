package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.testing.TestPictures;

/** Where the training pictures have their subject, and a box moved to it. */
class FramingTemplateTest {

    /** A dark oval (the subject) on a light ground, filling the square as the training pictures have it. */
    private static BufferedImage subject(int side) {
        BufferedImage b = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = b.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(230, 220, 150));
        g.fillRect(0, 0, side, side);
        g.setColor(new Color(90, 60, 40));
        g.fill(new Ellipse2D.Double(side * 0.25, side * 0.2, side * 0.5, side * 0.6));
        g.setColor(new Color(200, 30, 40));
        g.fill(new Ellipse2D.Double(side * 0.4, side * 0.6, side * 0.2, side * 0.06));
        g.dispose();
        return b;
    }

    private static TrainingData pictures(int n, int side) {
        BufferedImage img = subject(side);
        return TestPictures.data(n, i -> img, i -> "a subject");
    }

    /** The subject at {@code at} in a {@code w} x {@code h} picture of its ground. */
    private static BufferedImage placed(Framing.Square at, int w, int h) {
        BufferedImage s = subject(at.side());
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(230, 220, 150));
        g.fillRect(0, 0, w, h);
        g.drawImage(s, at.x(), at.y(), null);
        g.dispose();
        return out;
    }

    @Test
    void aBoxOffTheSubjectIsMovedAndScaledBackToWhereTheTrainingPicturesHaveIt() {
        FramingTemplate t = FramingTemplate.of(pictures(3, 32), 32);
        Framing.Square truth = new Framing.Square(60, 30, 128);
        BufferedImage picture = placed(truth, 320, 240);
        // the square itself scores best of all, a shifted one worse
        assertThat(t.score(Framing.seen(picture, truth))).isGreaterThan(0.95);
        assertThat(t.score(Framing.seen(picture, new Framing.Square(73, 17, 128)))).isLessThan(0.8);
        Framing.Square[] boxes = {truth, new Framing.Square(73, 17, 128), new Framing.Square(47, 43, 128),
            Framing.Square.around(47, 17, 154, 154), Framing.Square.around(66, 36, 116, 116)};
        for (Framing.Square box : boxes) {
            Framing.Square a = t.align(picture, box);
            // within one model pixel (4 px at this size) and a twentieth of the side
            assertThat(a.x() + a.side() / 2.0).as("from %s: %s", box, a).isCloseTo(124.0, within(4.0));
            assertThat(a.y() + a.side() / 2.0).as("from %s: %s", box, a).isCloseTo(94.0, within(4.0));
            assertThat((double) a.side()).as("from %s: %s", box, a).isCloseTo(128.0, within(6.4));
            assertThat(t.align(picture, box)).isEqualTo(a); // the same picture always gives the same square
        }
        // a box at the picture's edge: candidates beyond it see the edge repeated, as the editor would
        Framing.Square edge = t.align(placed(new Framing.Square(0, 0, 128), 200, 160), new Framing.Square(-10, 8,
                128));
        assertThat(edge.x() + edge.side() / 2.0).isCloseTo(64.0, within(4.0));
        assertThat(edge.y() + edge.side() / 2.0).isCloseTo(64.0, within(4.0));
    }

    @Test
    void aTemplateFromItsValuesIsTheSameAndBadValuesAreRefused() {
        FramingTemplate t = FramingTemplate.of(pictures(2, 16), 16);
        assertThat(t.values()).hasSize(256);
        assertThat(FramingTemplate.of(t.values(), 16).values()).containsExactly(t.values(), within(1e-6f));
        assertThatThrownBy(() -> FramingTemplate.of(new float[255], 16)).hasMessageContaining("16x16 values, got 255");
        float[] nan = t.values();
        nan[7] = Float.NaN;
        assertThatThrownBy(() -> FramingTemplate.of(nan, 16)).hasMessageContaining("finite");
        assertThatThrownBy(() -> FramingTemplate.of(new float[256], 16)).hasMessageContaining("all equal");
        assertThatThrownBy(() -> FramingTemplate.of(pictures(0, 16), 16)).hasMessageContaining("at least one");
    }
}
