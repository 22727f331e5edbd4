package org.sdd4j.core.edit;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;

class FullResolutionTest {

    private static float[] chw(BufferedImage img, int res) {
        return ImageTensors.toChw(img, res);
    }

    @Test
    void atTheModelResolutionBothModesGiveTheManipulatorsOutput() {
        BufferedImage face = new FaceWorld(2, 10, 32).face(1).image();
        float[] y = chw(face, 32);
        float[] edited = y.clone();
        for (int i = 0; i < edited.length; i += 7) {
            edited[i] = Math.max(-1, Math.min(1, edited[i] + (i % 3 == 0 ? 0.6f : -0.05f)));
        }
        for (FullResolution.Mode mode : FullResolution.Mode.values()) {
            // LEARNED finishes what the edit removes first (finishRemovalsTakesARemovedMouthToTheSkinAroundIt),
            // EDGE_AWARE makes the recolour consistent (consistentColoursEvenARecolourAndFinishTheRegion...)
            float[] own = switch (mode) {
                case LEARNED -> FullResolution.finishRemovals(y, edited, 0, 32);
                case EDGE_AWARE -> FullResolution.consistentRecolour(y, edited, 0, 32);
                default -> edited;
            };
            BufferedImage expected = ImageTensors.toImages(ai.djl.ndarray.NDManager.newBaseManager("PyTorch")
                    .create(own, new ai.djl.ndarray.types.Shape(1, 3, 32, 32))).get(0);
            BufferedImage out = FullResolution.compose(face, y, edited, 0, 32, mode);
            for (int p = 0; p < 32 * 32; p++) {
                int a = out.getRGB(p % 32, p / 32);
                int b = expected.getRGB(p % 32, p / 32);
                for (int c = 0; c < 3; c++) {
                    assertThat(Math.abs(((a >> 8 * c) & 0xFF) - ((b >> 8 * c) & 0xFF))).as(mode + " pixel " + p)
                            .isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void consistentColoursEvenARecolourAndFinishTheRegionButLeaveTheSameColourFurtherAway() {
        int res = 32;
        int hw = res * res;
        float[] background = {-0.2f, 0.6f, -0.2f};
        float[] skin = {0.6f, 0.2f, -0.1f};
        float[] hair = {-0.85f, -0.88f, -0.9f};
        float[] gold = {0.85f, 0.6f, -0.1f};
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        int[] kind = new int[hw]; // 0 background, 1 skin, 2 top hair, 3 side hair, 4 an eye of the hair's colour
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            kind[p] = r >= 4 && r <= 11 && x >= 6 && x <= 25 ? 2
                    : r >= 12 && r <= 20 && (x >= 6 && x <= 8 || x >= 23 && x <= 25) ? 3
                    : r == 17 && (x == 14 || x == 15) ? 4
                    : r >= 12 && r <= 26 && x >= 9 && x <= 22 ? 1 : 0;
            float[] own = kind[p] >= 2 ? hair : kind[p] == 1 ? skin : background;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = own[c];
                edited[c * hw + p] = own[c];
            }
            if (kind[p] == 2) {
                // blotchy gold: brighter and darker patches
                float blotch = (x / 3 + r / 2) % 2 == 0 ? 0.12f : -0.12f;
                for (int c = 0; c < 3; c++) {
                    edited[c * hw + p] = gold[c] + blotch;
                }
            } else if (kind[p] == 3) {
                // the lower sides barely recoloured: a dark brown
                for (int c = 0; c < 3; c++) {
                    edited[c * hw + p] = hair[c] + 0.35f * (gold[c] - hair[c]);
                }
            }
        }
        float[] out = FullResolution.consistentColours(y, edited, 0, res);
        for (int p = 0; p < hw; p++) {
            double before = 0;
            double after = 0;
            for (int c = 0; c < 3; c++) {
                int i = c * hw + p;
                before = Math.max(before, Math.abs(edited[i] - gold[c]));
                after = Math.max(after, Math.abs(out[i] - gold[c]));
                if (kind[p] < 2 || kind[p] == 4) {
                    // skin, background and the hair-coloured eye out of reach stay bit for bit
                    assertThat(out[i]).as("pixel %d of kind %d, channel %d", p, kind[p], c).isEqualTo(edited[i]);
                }
            }
            if (kind[p] == 2) {
                // the blotches (0.12 either way) even out to the gold
                assertThat(before).isGreaterThan(0.1);
                assertThat(after).as("top hair pixel %d", p).isLessThan(0.03);
            } else if (kind[p] == 3) {
                // the barely recoloured sides (1.1 from the gold) take it nearly whole
                assertThat(before).isGreaterThan(1.0);
                assertThat(after).as("side hair pixel %d", p).isLessThan(0.2);
            }
        }
    }

    @Test
    void unmixedBordersGiveAnOutlinesMixesTheirShareOfTheRecolourButNotMixesBesideAFrameOfTheHairsColour() {
        int res = 32;
        int hw = res * res;
        float[] background = YELLOW;
        float[] gold = GOLD;
        float[] skin = {0.2f, -0.3f, -0.55f};
        float[] hair = {-0.85f, -0.88f, -0.9f};
        float[] blue = {-0.6f, -0.2f, 0.8f};
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        // hair in rows 4-11, columns 6-25, recoloured gold; its right outline (column 26) mixes 40% hair into the
        // background, its lower one (row 12) 50% hair into the skin below (rows 13-26); the manipulator left both
        // outlines as they were, but drew one outline pixel dark. Below the lower outline, a frame of the hair's
        // colour (row 13, columns 8-10) and one of another colour (row 13, columns 18-20), both kept.
        double[] share = new double[hw];
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            boolean inHair = r >= 4 && r <= 11 && x >= 6 && x <= 25;
            float[] own = background;
            if (inHair) {
                own = hair;
            } else if (r == 13 && x >= 8 && x <= 10) {
                own = hair;
            } else if (r == 13 && x >= 18 && x <= 20) {
                own = blue;
            } else if (r >= 13 && r <= 26 && x >= 6 && x <= 25) {
                own = skin;
            }
            if (r >= 4 && r <= 11 && x == 26) {
                share[p] = 0.4;
                own = mix(hair, background, 0.4f);
            } else if (r == 12 && x >= 6 && x <= 25) {
                share[p] = 0.5;
                own = mix(hair, skin, 0.5f);
            }
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = own[c];
                edited[c * hw + p] = inHair ? gold[c] : own[c];
            }
        }
        int speck = 7 * res + 26;
        for (int c = 0; c < 3; c++) {
            edited[c * hw + speck] = -0.95f;
        }
        float[] out = FullResolution.unmixedBorders(y, edited, 0, res);
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            // the outlines' mixes, except those beside the frame of the hair's colour, which may mix that frame and
            // the skin, and the one above the middle of the other frame, with no skin among its neighbours to explain it
            boolean unmixed = x == 26 && r >= 4 && r <= 11 || r == 12 && !(x >= 7 && x <= 11) && x != 19;
            for (int c = 0; c < 3; c++) {
                int i = c * hw + p;
                if (unmixed) {
                    // the same mix of the new colour: original plus its share of the hair's change
                    assertThat((double) out[i]).as("outline pixel (%d, %d), channel %d", x, r, c)
                            .isCloseTo(y[i] + share[p] * (gold[c] - hair[c]), org.assertj.core.data.Offset.offset(1e-5));
                } else {
                    // the hair, the skin, the background, the frames and the mixes beside the dark frame: as they were
                    assertThat(out[i]).as("pixel (%d, %d), channel %d", x, r, c).isEqualTo(edited[i]);
                }
            }
        }
        // the straight outlines are mixes like their neighbours along them, the dark speck among them included
        assertThat(out[speck]).isCloseTo(y[speck] + 0.4f * (gold[0] - hair[0]), org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void wholeRegionsCarryAMostlyRecolouredRegionToItsEndsAndToPartlyRecolouredOnesOfItsColourButKeepAnotherColour() {
        int res = 32;
        int hw = res * res;
        float[] background = YELLOW;
        float[] gold = GOLD;
        float[] red = {0.55f, -0.5f, -0.8f};
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        float[] skin = {0.6f, 0.2f, -0.1f};
        // red hair: a top (rows 4-9, columns 6-25) recoloured, and two sides (rows 10-20, columns 6-7 and 24-25), joined
        // to it, recoloured down to row 14 only; a red spot apart (rows 24-26, columns 14-16) left as it was; a second
        // red region (rows 28-30, columns 2-9) recoloured on fewer than half of its pixels, which follows the hair; a
        // patch of skin (rows 24-30, columns 20-29) with a band of gold painted over a fifth of it, kept as it was
        int[] kind = new int[hw]; // 0 background, 1 recoloured, 2 follows, 3 spot apart, 4 skin band, 5 rest of skin
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            boolean top = r >= 4 && r <= 9 && x >= 6 && x <= 25;
            boolean side = r >= 10 && r <= 20 && (x <= 7 && x >= 6 || x >= 24 && x <= 25);
            boolean spot = r >= 24 && r <= 26 && x >= 14 && x <= 16;
            boolean other = r >= 28 && r <= 30 && x >= 2 && x <= 9;
            boolean patch = r >= 24 && r <= 30 && x >= 20 && x <= 29;
            kind[p] = top || side && r <= 14 || other && x <= 4 ? 1 : side || other ? 2 : spot ? 3
                    : patch && r <= 25 ? 4 : patch ? 5 : 0;
            float[] own = top || side || spot || other ? red : patch ? skin : background;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = own[c];
                edited[c * hw + p] = kind[p] == 1 || kind[p] == 4 ? gold[c] : own[c];
            }
        }
        // a glow spilled onto the background beside the hair: a few pixels strongly, a few faintly (the background's
        // recoloured share stays below 5%)
        int[] glow = {3 * res + 10, 3 * res + 11, 3 * res + 12, 3 * res + 13, 10 * res + 5, 11 * res + 5, 12 * res + 26};
        for (int k = 0; k < glow.length; k++) {
            for (int c = 0; c < 3; c++) {
                edited[c * hw + glow[k]] += k < 4 ? 0.2f : 0.05f;
            }
        }
        float[] out = FullResolution.wholeRegions(y, edited, 0, res);
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                int i = c * hw + p;
                if (kind[p] == 0 || kind[p] >= 3) {
                    assertThat(out[i]).as("pixel %d of kind %d, channel %d", p, kind[p], c).isEqualTo(y[i]);
                } else if (kind[p] == 2) {
                    assertThat(out[i]).as("side pixel %d, channel %d", p, c)
                            .isCloseTo(gold[c], org.assertj.core.data.Offset.offset(1e-6f));
                } else {
                    assertThat(out[i]).as("pixel %d of kind %d, channel %d", p, kind[p], c)
                            .isCloseTo(edited[i], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    @Test
    void wholeRegionsGiveARegionOneColourAcrossAGapOfOnePixelWeighedByHowFarEachPixelWasRecoloured() {
        int res = 16;
        int hw = res * res;
        float[] hair = {-0.76f, -0.8f, -0.83f};
        float[] skin = {-0.03f, -0.34f, -0.56f};
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        // black hair: a top (rows 2-5) recoloured from bright gold on the left to dark olive on the right, and a side
        // (rows 7-12, column 3) below a pixel that mixes the hair with the skin (row 6), recoloured half as far
        boolean[] inHair = new boolean[hw];
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            boolean top = r >= 2 && r <= 5 && x >= 3 && x <= 12;
            boolean side = r >= 7 && r <= 12 && x == 3;
            inHair[p] = top || side;
            float[] own = inHair[p] ? hair : r == 6 && x == 3 ? mix(hair, skin, 0.5f) : skin;
            float[] target = top ? mix(GOLD, new float[] {0.6f, 0.6f, -0.1f}, (12 - x) / 9f) : side ? mix(GOLD, hair, 0.5f)
                    : own;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = own[c];
                edited[c * hw + p] = target[c];
            }
        }
        float[] out = FullResolution.wholeRegions(y, edited, 0, res);
        // one colour over the top and the side: the mean change, each pixel weighed by its change squared
        double[] sum = new double[3];
        double weights = 0;
        for (int p = 0; p < hw; p++) {
            if (inHair[p]) {
                double change = 0;
                for (int c = 0; c < 3; c++) {
                    change = Math.max(change, Math.abs(edited[c * hw + p] - y[c * hw + p]));
                }
                weights += change * change;
                for (int c = 0; c < 3; c++) {
                    sum[c] += change * change * (edited[c * hw + p] - y[c * hw + p]);
                }
            }
        }
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                int i = c * hw + p;
                float expected = inHair[p] ? (float) (y[i] + sum[c] / weights) : y[i];
                assertThat(out[i]).as("pixel %d, channel %d", p, c)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        // the side, the manipulator's darkest part, comes out as bright as the top's mean, not as dark as it was
        int side = 10 * res + 3;
        assertThat(out[side]).isGreaterThan(edited[side] + 0.3f);
    }

    @Test
    void aRegionRecolouredWholeCloseToATargetColourTakesItAndOneFurtherAwayKeepsItsOwn() {
        int res = 16;
        int hw = res * res;
        float[] hair = {-0.76f, -0.8f, -0.83f};
        float[] skin = {-0.03f, -0.34f, -0.56f};
        float[] sand = {238 / 127.5f - 1, 208 / 127.5f - 1, 120 / 127.5f - 1};
        float[] y = new float[3 * hw];
        float[] near = new float[3 * hw];
        float[] far = new float[3 * hw];
        // the hair (rows 2-5) recoloured evenly: 40/255 from sand (lemon: more green), or 60/255 from it
        boolean[] inHair = new boolean[hw];
        float[] lemon = {sand[0], sand[1] + 40 / 127.5f, sand[2]};
        float[] green = {sand[0] - 60 / 127.5f, sand[1], sand[2]};
        for (int p = 0; p < hw; p++) {
            int r = p / res;
            int x = p % res;
            inHair[p] = r >= 2 && r <= 5 && x >= 3 && x <= 12;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = inHair[p] ? hair[c] : skin[c];
                near[c * hw + p] = inHair[p] ? lemon[c] : skin[c];
                far[c * hw + p] = inHair[p] ? green[c] : skin[c];
            }
        }
        float[] outNear = FullResolution.wholeRegions(y, near, 0, res, sand);
        float[] outFar = FullResolution.wholeRegions(y, far, 0, res, sand);
        float[] plain = FullResolution.wholeRegions(y, near, 0, res);
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                int i = c * hw + p;
                assertThat(outNear[i]).as("near: pixel %d, channel %d", p, c)
                        .isCloseTo(inHair[p] ? sand[c] : skin[c], org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(outFar[i]).as("far: pixel %d, channel %d", p, c)
                        .isCloseTo(far[i], org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(plain[i]).as("without target colours: pixel %d, channel %d", p, c)
                        .isCloseTo(near[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FullResolution.wholeRegions(y, near, 0, res,
                new float[] {0f, 0f})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triples");
    }

    @Test
    void atEightTimesTheModelsSizeAFrameFinerThanAModelPixelStaysAndPureHairAmongMixedModelPixelsTurnsWhole() {
        int res = 8;
        int size = 64;
        int hw = res * res;
        int[] bg = {236, 230, 150};
        int[] hair = {30, 25, 22};
        int[] frame = {35, 35, 40};
        int[] gold = {238, 208, 120};
        // the picture: hair over rows 0-23 and in a side strip (columns 4-11) below, its right outline (column 12)
        // antialiased, half hair and half background; a frame two pixels thick beside the strip (rows 40-41, columns
        // 13-40)
        int[] half = {(hair[0] + bg[0]) / 2, (hair[1] + bg[1]) / 2, (hair[2] + bg[2]) / 2};
        int[][] px = new int[size * size][];
        for (int yy = 0; yy < size; yy++) {
            for (int xx = 0; xx < size; xx++) {
                boolean isHair = yy < 24 || xx >= 4 && xx <= 11;
                boolean isFrame = yy >= 40 && yy <= 41 && xx >= 13 && xx <= 40;
                px[yy * size + xx] = isHair ? hair : xx == 12 ? half : isFrame ? frame : bg;
            }
        }
        BufferedImage original = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < size * size; p++) {
            original.setRGB(p % size, p / size, px[p][0] << 16 | px[p][1] << 8 | px[p][2]);
        }
        // the model's picture: 8x8 blocks averaged; its edit recolours each model pixel by its share of hair
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        for (int q = 0; q < hw; q++) {
            double hairShare = 0;
            double[] mean = new double[3];
            for (int k = 0; k < 64; k++) {
                int[] v = px[((q / res) * 8 + k / 8) * size + (q % res) * 8 + k % 8];
                hairShare += v == hair ? 1 / 64.0 : v == half ? 0.5 / 64 : 0;
                for (int c = 0; c < 3; c++) {
                    mean[c] += v[c] / 64.0;
                }
            }
            for (int c = 0; c < 3; c++) {
                y[c * hw + q] = (float) (mean[c] / 127.5 - 1);
                edited[c * hw + q] = (float) (y[c * hw + q] + hairShare * (gold[c] - hair[c]) / 127.5);
            }
        }
        BufferedImage out = FullResolution.compose(original, y, edited, 0, res, FullResolution.Mode.EDGE_AWARE);
        // the frame keeps its colour, though the model sees it only as a faint mix and hair is beside it
        for (int xx = 13; xx <= 40; xx++) {
            assertThat(out.getRGB(xx, 40) & 0xFFFFFF).as("frame at %d", xx).isEqualTo(0x232328);
        }
        // the strip's hair, whose model pixels around are all mixes of hair and background, is gold, not half so
        for (int yy = 32; yy < 64; yy += 4) {
            int rgb = out.getRGB(8, yy);
            for (int c = 0; c < 3; c++) {
                assertThat((rgb >> (16 - 8 * c)) & 0xFF).as("strip at row %d, channel %d", yy, c).isCloseTo(gold[c],
                        org.assertj.core.data.Offset.offset(3));
            }
        }
        // the outline's half-and-half pixels are half gold, half background
        int mixed = out.getRGB(12, 58);
        for (int c = 0; c < 3; c++) {
            assertThat((mixed >> (16 - 8 * c)) & 0xFF).as("outline, channel %d", c)
                    .isCloseTo((gold[c] + bg[c]) / 2, org.assertj.core.data.Offset.offset(4));
        }
        // the background away from the hair keeps its colour
        assertThat(out.getRGB(50, 55) & 0xFFFFFF).isEqualTo(0xECE696);
    }

    /** A yellow background and the gold of a blond recolour, in [-1, 1] units. */
    private static final float[] YELLOW = {0.85f, 0.8f, 0.2f};
    private static final float[] GOLD = {0.85f, 0.6f, -0.1f};

    private static float[] mix(float[] a, float[] b, float share) {
        float[] m = new float[3];
        for (int c = 0; c < 3; c++) {
            m[c] = share * a[c] + (1 - share) * b[c];
        }
        return m;
    }

    @Test
    void finishRemovalsTakesARemovedMouthToTheSkinAroundItAndKeepsNewContent() {
        int res = 32;
        int hw = res * res;
        float[] skin = {0.6f, 0.2f, -0.1f};
        float[] red = {0.5f, -0.8f, -0.7f};
        float[] y = new float[3 * hw];
        float[] edited = new float[3 * hw];
        for (int p = 0; p < hw; p++) {
            boolean frown = p / res >= 18 && p / res <= 19 && p % res >= 10 && p % res <= 20;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = frown ? red[c] : skin[c];
                edited[c * hw + p] = skin[c];
            }
            if (frown) {
                // removed to a skin a little too pale
                for (int c = 0; c < 3; c++) {
                    edited[c * hw + p] = skin[c] + 0.08f;
                }
            }
            if (p / res == 23 && p % res >= 10 && p % res <= 20) {
                // the new line: strong in the middle, faint at its ends (a little red on the skin)
                boolean end = p % res <= 11 || p % res >= 19;
                for (int c = 0; c < 3; c++) {
                    edited[c * hw + p] = end ? skin[c] + (c == 0 ? 0 : -0.15f) : red[c];
                }
            }
        }
        float[] out = FullResolution.finishRemovals(y, edited, 0, res);
        for (int p = 0; p < hw; p++) {
            boolean frown = p / res >= 18 && p / res <= 19 && p % res >= 10 && p % res <= 20;
            for (int c = 0; c < 3; c++) {
                if (frown) {
                    assertThat(out[c * hw + p]).as("removed mouth, pixel %d", p).isEqualTo(skin[c]);
                } else {
                    // the new line (its faint ends too) and everything else as the edit made it
                    assertThat(out[c * hw + p]).as("pixel %d", p).isEqualTo(edited[c * hw + p]);
                }
            }
        }
        // a removal further from the skin is finished in part, one as far as the original not at all
        float[] far = edited.clone();
        float[] farther = edited.clone();
        int p = 18 * res + 15;
        for (int c = 0; c < 3; c++) {
            far[c * hw + p] = skin[c] + 0.14f; // 0.24 from the skin: between REMOVAL_FROM and REMOVAL_TO
            farther[c * hw + p] = skin[c] + 0.2f; // 0.35: beyond REMOVAL_TO
        }
        float partly = FullResolution.finishRemovals(y, far, 0, res)[p];
        assertThat(partly).isStrictlyBetween(skin[0], far[p]);
        assertThat(FullResolution.finishRemovals(y, farther, 0, res)[p]).isEqualTo(farther[p]);
        // new red drawn a little off the image's own red, next to the old mouth, takes that red
        float[] offRed = edited.clone();
        int below = 20 * res + 15;
        for (int c = 0; c < 3; c++) {
            offRed[c * hw + below] = red[c] + 0.05f;
        }
        float[] took = FullResolution.finishRemovals(y, offRed, 0, res);
        for (int c = 0; c < 3; c++) {
            assertThat(took[c * hw + below]).isEqualTo(red[c]);
        }
    }

    @Test
    void aWideImageIsNotSquashedAndAnUneditedOneComesBackUnchanged() {
        BufferedImage wide = new BufferedImage(96, 40, BufferedImage.TYPE_INT_RGB);
        wide.getGraphics().drawImage(new FaceWorld(2, 10, 40).face(3).image(), 28, 0, null);
        BufferedImage input = FullResolution.squareInput(wide, 32);
        assertThat(input.getWidth()).isEqualTo(32);
        assertThat(input.getHeight()).isEqualTo(32);
        // the face (40 px in a 96-px-wide picture) keeps its aspect: its square lands in the middle third
        float[] y = chw(input, 32);
        for (FullResolution.Mode mode : FullResolution.Mode.values()) {
            if (mode == FullResolution.Mode.LEARNED) {
                continue; // needs an upsampler: GuidedUpsamplerTest
            }
            BufferedImage out = FullResolution.compose(wide, y, y.clone(), 0, 32, mode);
            assertThat(out.getWidth()).isEqualTo(96);
            assertThat(out.getHeight()).isEqualTo(40);
            for (int x = 0; x < 96; x += 5) {
                for (int yy = 0; yy < 40; yy += 3) {
                    assertThat(out.getRGB(x, yy)).as(mode + " at " + x + "," + yy).isEqualTo(wide.getRGB(x, yy));
                }
            }
        }
    }

    @Test
    void theMaskCoversStrongChangesAndTheirNeighbours() {
        int res = 8;
        float[] r = new float[3 * res * res];
        assertThat(FullResolution.mask(r, res)).containsOnly(0f);
        r[3 * res + 3] = 1f; // one strongly edited pixel (red channel)
        float[] m = FullResolution.mask(r, res);
        assertThat(m[3 * res + 3]).isEqualTo(1f);
        assertThat(m[3 * res + 5]).isPositive().isLessThan(1f);
        assertThat(m[0]).isZero();
    }

    @Test
    void aTintedEyeFarFromTheEditIsAddedToTheOriginalWhileFaintEndsOfARemovedMouthAndNewContentAreReplaced() {
        int res = 32;
        int hw = res * res;
        float[] skin = {0.6f, 0.2f, -0.1f};
        float[] dark = {-0.8f, -0.8f, -0.7f};
        float[] red = {0.5f, -0.8f, -0.7f};
        float[] y = new float[3 * hw];
        for (int p = 0; p < hw; p++) {
            boolean eye = p / res >= 9 && p / res <= 10 && p % res >= 9 && p % res <= 10;
            boolean mouth = p / res == 22 && p % res >= 10 && p % res <= 20;
            for (int c = 0; c < 3; c++) {
                y[c * hw + p] = eye ? dark[c] : mouth ? red[c] : skin[c];
            }
        }
        float[] edited = y.clone();
        int eye = 9 * res + 9;
        int middle = 22 * res + 15;
        int end = 22 * res + 10;
        int faint = 5 * res + 25; // in a patch of faint new content on flat skin, nothing else near
        for (int x = 11; x <= 20; x++) {
            for (int c = 0; c < 3; c++) {
                edited[c * hw + 22 * res + x] = skin[c]; // the old mouth removed, but for its left end
            }
        }
        for (int c = 0; c < 3; c++) {
            edited[c * hw + eye] = dark[c] + 0.25f; // the eye lightened a little
            edited[c * hw + end] = red[c] + 0.2f; // its end only a little
        }
        for (int py = 4; py <= 6; py++) {
            for (int px = 24; px <= 27; px++) {
                for (int c = 0; c < 3; c++) {
                    // faint new content on the skin, a fifth of the removed mouth's change or more: not detached
                    edited[c * hw + py * res + px] = skin[c] - 0.2f;
                }
            }
        }
        float[] residual = minus(edited, y);
        float[] kept = FullResolution.withoutTints(residual, y, edited, 0, res);
        for (int c = 0; c < 3; c++) {
            // the eye is still much closer to its dark than to the skin around it, and far from any strong change
            assertThat(kept[c * hw + eye]).isZero();
            // the same change at the removed mouth's end, next to its strongly changed middle, stays in the mask
            assertThat(kept[c * hw + end]).isEqualTo(residual[c * hw + end]);
            assertThat(kept[c * hw + middle]).isEqualTo(residual[c * hw + middle]);
            // faint content on a flat area is the edit's
            assertThat(kept[c * hw + faint]).isEqualTo(residual[c * hw + faint]);
        }
        // so the blend replaces the mouth and the faint content, and adds the eye's tint to the original
        float[] mask = FullResolution.mask(kept, res);
        assertThat(mask[eye]).isZero();
        assertThat(mask[middle]).isPositive();
        assertThat(mask[faint]).isPositive();
        // a change toward a clearly different colour next to it is no tint: it takes that neighbour's colour
        float[] grey = {-0.8f, -0.8f, -0.38f}; // 0.32 from the eye's dark
        float[] y2 = y.clone();
        float[] toward = edited.clone();
        int beside = 9 * res + 11;
        for (int c = 0; c < 3; c++) {
            y2[c * hw + beside] = grey[c];
            toward[c * hw + beside] = grey[c];
            toward[c * hw + eye] = dark[c] + (c == 2 ? 0.25f : 0f); // 0.07 from the grey, 0.25 from its own dark
        }
        // joined to the removed mouth by faintly changed skin, so that the eye is not detached from the edit
        for (int yy = 10; yy <= 21; yy++) {
            int p = yy * res + (yy == 21 ? 9 : 8);
            for (int c = 0; c < 3; c++) {
                toward[c * hw + p] = skin[c] + 0.1f;
            }
        }
        float[] towardResidual = minus(toward, y2);
        assertThat(FullResolution.withoutTints(towardResidual, y2, toward, 0, res)[2 * hw + eye]).isEqualTo(0.25f);
    }

    @Test
    void aStrongChangeApartFromTheEditsMainRegionIsCarriedAsATint() {
        int res = 32;
        int hw = res * res;
        float[] y = new float[3 * hw];
        java.util.Arrays.fill(y, 0.3f);
        float[] edited = y.clone();
        // the edit's main region: a new mouth, 12 pixels changed by 0.9
        for (int x = 10; x <= 21; x++) {
            for (int c = 0; c < 3; c++) {
                edited[c * hw + 22 * res + x] = -0.6f;
            }
        }
        // two pixels of the glasses, far above it, changed by 0.6: too strong to be a tint by colour
        int glasses = 9 * res + 9;
        for (int c = 0; c < 3; c++) {
            edited[c * hw + glasses] = 0.9f;
            edited[c * hw + glasses + 1] = 0.9f;
        }
        float[] residual = minus(edited, y);
        float[] kept = FullResolution.withoutTints(residual, y, edited, 0, res);
        for (int c = 0; c < 3; c++) {
            assertThat(kept[c * hw + glasses]).isZero();
            assertThat(kept[c * hw + glasses + 1]).isZero();
            assertThat(kept[c * hw + 22 * res + 15]).isEqualTo(residual[c * hw + 22 * res + 15]);
        }
        assertThat(FullResolution.mask(kept, res)[glasses]).isZero();
        // joined to the mouth by changed pixels, the same change is part of the edit
        for (int yy = 10; yy <= 21; yy++) {
            for (int c = 0; c < 3; c++) {
                edited[c * hw + yy * res + 9] = 0.3f + 0.1f;
                residual[c * hw + yy * res + 9] = 0.1f;
            }
        }
        assertThat(FullResolution.detached(FullResolution.changeMap(residual, res), res)[glasses]).isFalse();
        // a second region as strong as the first is not detached either; one below a fifth of it is
        float[] two = new float[hw];
        for (int x = 0; x < 10; x++) {
            two[x] = 0.5f;
            two[20 * res + x] = 0.5f;
        }
        two[30 * res + 30] = 0.9f; // 0.9 < 0.2 x 5
        boolean[] apart = FullResolution.detached(two, res);
        assertThat(apart[0]).isFalse();
        assertThat(apart[20 * res]).isFalse();
        assertThat(apart[30 * res + 30]).isTrue();
        assertThat(apart[15 * res + 15]).as("an unchanged pixel").isFalse();
    }

    /** a - b, element by element. */
    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    @Test
    void theLearnedPutBackReplacesSmallerChangesWhole() {
        int res = 8;
        float[] r = new float[3 * res * res];
        r[3 * res + 3] = 0.35f; // a pixel changed by more than LEARNED_TAU and less than TAU
        assertThat(FullResolution.mask(r, res)[3 * res + 3]).isLessThan(1f);
        assertThat(FullResolution.mask(r, res, FullResolution.LEARNED_TAU)[3 * res + 3]).isEqualTo(1f);
        assertThat(FullResolution.LEARNED_TAU).isLessThan(FullResolution.TAU);
    }

    /** A 128-px picture: black left of x = 61, skin right of it; {@code left} replaces the black. */
    private static BufferedImage halves(int left) {
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                img.setRGB(x, y, x < 61 ? left : 0xD2A078);
            }
        }
        return img;
    }

    private static int maxDiff(BufferedImage a, BufferedImage b, int x, int y) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        int d = 0;
        for (int c = 0; c < 3; c++) {
            d = Math.max(d, Math.abs(((p >> 8 * c) & 0xFF) - ((q >> 8 * c) & 0xFF)));
        }
        return d;
    }

    @Test
    void aRecolourKeepsTheOutlineSharpEdgeAwareWhileTheBlendSoftensIt() {
        BufferedImage original = halves(0x141414);
        BufferedImage genuine = halves(0x40C0F0);
        int res = 32;
        float[] y = chw(FullResolution.squareInput(original, res), res);
        float[] target = chw(FullResolution.squareInput(genuine, res), res);
        // a perfect recolour at the model's resolution: the model-size rendering of the recoloured picture
        BufferedImage blend = FullResolution.compose(original, y, target, 0, res, FullResolution.Mode.BLEND);
        BufferedImage sharp = FullResolution.compose(original, y, target, 0, res, FullResolution.Mode.EDGE_AWARE);
        int worstSharp = 0;
        int worstBlend = 0;
        for (int yy = 8; yy < 120; yy += 4) {
            for (int x = 56; x < 66; x++) {
                worstSharp = Math.max(worstSharp, maxDiff(sharp, genuine, x, yy));
                worstBlend = Math.max(worstBlend, maxDiff(blend, genuine, x, yy));
            }
        }
        // along the outline the blend is off by a large part of the colour step, the edge-aware result is not
        assertThat(worstBlend).isGreaterThan(50);
        assertThat(worstSharp).isLessThan(10);
        // away from the outline both are the recoloured picture
        assertThat(maxDiff(sharp, genuine, 20, 64)).isLessThanOrEqualTo(3);
        assertThat(maxDiff(blend, genuine, 20, 64)).isLessThanOrEqualTo(3);
        assertThat(maxDiff(sharp, genuine, 100, 64)).isLessThanOrEqualTo(3);
    }

    @Test
    void edgeAwareLeavesAFaintGlowBesideARecolourBehindButCarriesAFaintEditWhole() {
        Recolour r = Recolour.of();
        int res = Recolour.RES;
        // the recolour and, over the skin, a faint glow in red (about 10/255), as a manipulator leaves beside hair
        float[] faintAlone = r.y().clone();
        for (int p = 0; p < res * res; p++) {
            if (p % res >= 17) {
                r.edited()[p] += 0.08f;
                faintAlone[p] += 0.08f;
            }
        }
        r.assertSkinKeptAndHairRecoloured(1);
        // the same faint change as the whole edit is the edit: carried whole
        BufferedImage faint = FullResolution.compose(r.original(), r.y(), faintAlone, 0, res,
                FullResolution.Mode.EDGE_AWARE);
        for (int yy = 8; yy < 120; yy += 8) {
            int red = (faint.getRGB(100, yy) >> 16) & 0xFF;
            assertThat(red).as("red at 100," + yy).isBetween(0xD2 + 9, 0xD2 + 11);
            assertThat(maxDiff(faint, r.original(), 20, yy)).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void edgeAwareLeavesAStrongChangeToAFewPixelsOfAnotherColourBehind() {
        Recolour r = Recolour.of();
        int res = Recolour.RES;
        int hw = res * res;
        // one column of skin changed as strongly as the hair (a band of forehead recoloured with it): few of the
        // skin's pixels, so not part of the recolour
        for (int row = 0; row < res; row++) {
            r.edited()[row * res + 20] += 0.6f;
            r.edited()[hw + row * res + 20] += 0.6f;
        }
        r.assertSkinKeptAndHairRecoloured(2);
        // the gate itself: the hair keeps its change, the column keeps none of it
        float[] change = new float[hw];
        for (int p = 0; p < hw; p++) {
            for (int c = 0; c < 3; c++) {
                change[p] = Math.max(change[p], Math.abs(r.edited()[c * hw + p] - r.y()[c * hw + p]));
            }
        }
        double[] gate = FullResolution.colourGate(change, 1.7, r.y(), 0, res);
        assertThat(gate[16 * res + 5]).isEqualTo(1.0);
        assertThat(gate[16 * res + 20]).isLessThan(0.05);
    }

    @Test
    void edgeAwareKeepsTheRecolourOfThinHairOfTheBackgroundsOwnColour() {
        // a face (skin disc) under a ring of black hair 4 px thick (one model pixel) before a black background
        BufferedImage original = ringOfHair(0x141414);
        BufferedImage genuine = ringOfHair(0xEED078);
        float[] y = chw(FullResolution.squareInput(original, 32), 32);
        float[] edited = chw(FullResolution.squareInput(genuine, 32), 32);
        BufferedImage out = FullResolution.compose(original, y, edited, 0, 32, FullResolution.Mode.EDGE_AWARE);
        double carried = 0;
        int hair = 0;
        for (int yy = 0; yy < 128; yy++) {
            for (int x = 0; x < 128; x++) {
                if (original.getRGB(x, yy) != genuine.getRGB(x, yy)) {
                    hair++;
                    int o = (original.getRGB(x, yy) >> 8) & 0xFF;
                    carried += (((out.getRGB(x, yy) >> 8) & 0xFF) - o) / (double) (((genuine.getRGB(x, yy) >> 8) & 0xFF) - o);
                }
            }
        }
        // most black pixels around the hair did not change (the background), but most changed pixels are black:
        // the recolour is kept (left behind by a gate that asked only the first, 2% of it came through)
        assertThat(carried / hair).isGreaterThan(0.5);
    }

    private static BufferedImage ringOfHair(int hair) {
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < 128; yy++) {
            for (int x = 0; x < 128; x++) {
                double d = Math.hypot(x - 64, yy - 70);
                img.setRGB(x, yy, d < 34 ? 0xD2A078 : d < 40 && yy < 80 ? hair : 0x141414);
            }
        }
        return img;
    }

    /**
     * The black half of {@link #halves} recoloured: the pictures at 128 px and, at the model's resolution (32), the
     * original and the perfect recolour (a fresh copy each time).
     */
    private record Recolour(BufferedImage original, BufferedImage genuine, float[] y, float[] edited) {
        static final int RES = 32;

        static Recolour of() {
            BufferedImage original = halves(0x141414);
            BufferedImage genuine = halves(0x40C0F0);
            return new Recolour(original, genuine, chw(FullResolution.squareInput(original, RES), RES),
                    chw(FullResolution.squareInput(genuine, RES), RES));
        }

        /** Edge-aware at 128 px: the skin (right of x = 76) as in the original, the hair as in the genuine. */
        void assertSkinKeptAndHairRecoloured(int skinTolerance) {
            BufferedImage out = FullResolution.compose(original, y, edited, 0, RES, FullResolution.Mode.EDGE_AWARE);
            for (int yy = 8; yy < 120; yy += 8) {
                for (int x = 76; x < 128; x += 2) {
                    assertThat(maxDiff(out, original, x, yy)).as("skin at " + x + "," + yy)
                            .isLessThanOrEqualTo(skinTolerance);
                }
                assertThat(maxDiff(out, genuine, 20, yy)).as("hair at 20," + yy).isLessThanOrEqualTo(3);
            }
        }
    }
}
