package org.sdd4j.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.Conditioning;
import org.sdd4j.api.Refinement;
import org.sdd4j.core.baseline.SdEdit;
import org.sdd4j.core.data.FaceWorld;
import org.sdd4j.core.data.ImageTensors;
import org.sdd4j.core.manipulator.Manipulator;
import org.sdd4j.core.nn.Module;
import org.sdd4j.core.testing.EngineTest;
import org.sdd4j.core.testing.FakeTeacher;

/** The refinement's targets: the teacher's redrawing only where the edit changed the image. */
class TeacherRefinementTest extends EngineTest {

    /** A fixed "edit": +0.5 on the red channel of pixel (row 5, column 6) and nothing else. */
    private static final Manipulator ONE_PIXEL = onePixel(0.5f);

    /** A fixed "edit": + {@code amount} on the red channel of pixel (row 5, column 6) and nothing else. */
    private static Manipulator onePixel(float amount) {
        return new Manipulator() {
            @Override
            public String architecture() {
                return "one-pixel";
            }

            @Override
            public int width() {
                return 4;
            }

            @Override
            public Module block() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Output applyWithMask(ParameterStore ps, NDArray y, boolean training) {
                float[] d = new float[(int) y.getShape().size()];
                long hw = y.getShape().get(2) * y.getShape().get(3);
                for (int b = 0; b < y.getShape().get(0); b++) {
                    d[(int) (b * 3 * hw + 5 * y.getShape().get(3) + 6)] = amount;
                }
                return new Output(y.add(y.getManager().create(d, y.getShape())), null);
            }
        };
    }

    @Test
    void theChangeMaskIsTheScaledChangeWidenedByOnePixel() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.zeros(new Shape(1, 3, 8, 8));
            float[] d = new float[3 * 64];
            d[64 + 3 * 8 + 4] = -0.05f; // green, row 3, column 4: half the scale
            NDArray mask = TeacherRefinement.changeMask(x, x.add(m.create(d, x.getShape())));
            assertThat(mask.getShape()).isEqualTo(new Shape(1, 1, 8, 8));
            float[] v = mask.toFloatArray();
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    boolean near = Math.abs(r - 3) <= 1 && Math.abs(c - 4) <= 1;
                    assertThat(v[r * 8 + c]).as("row %d column %d", r, c).isCloseTo(near ? 0.5f : 0f, within(1e-6f));
                }
            }
            NDArray big = TeacherRefinement.changeMask(x, x.add(0.3f));
            assertThat(big.min().getFloat()).isEqualTo(1f);
        }
    }

    @Test
    void targetsAreTheInputWhereTheEditChangedNothingAndTheRedrawnEditWhereItDid() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        FaceWorld data = new FaceWorld(3, 40, 16);
        Refinement o = new Refinement(1, 0.2, 3f, 5);
        try (NDManager m = manager.newSubManager();
                TeacherRefinement pool = TeacherRefinement.prepare(data, null, ONE_PIXEL, teacher, "a prompt", "",
                        o, 16, 7, 1, new ParameterStore(m, false), m)) {
            assertThat(pool.size()).isEqualTo(5);
            NDArray[] xer = byHand(teacher, data, ONE_PIXEL, 5, m);
            NDArray x = xer[0];
            NDArray redrawn = xer[2];
            for (int i = 0; i < 5; i++) {
                float[] in = pool.input(i).toFloatArray();
                float[] t = pool.target(i).toFloatArray();
                assertThat(in).containsExactly(x.get(i).toFloatArray());
                float[] r = redrawn.get(i).toFloatArray();
                for (int ch = 0; ch < 3; ch++) {
                    for (int row = 0; row < 16; row++) {
                        for (int col = 0; col < 16; col++) {
                            int p = ch * 256 + row * 16 + col;
                            boolean near = Math.abs(row - 5) <= 1 && Math.abs(col - 6) <= 1;
                            // a change of 0.5 is five times the scale: the redrawn edit is kept fully around it
                            assertThat(t[p]).as("image %d channel %d row %d column %d", i, ch, row, col)
                                    .isCloseTo(near ? r[p] : in[p], within(1e-5f));
                        }
                    }
                }
                // the teacher did redraw the changed pixel
                assertThat(t[5 * 16 + 6]).isNotCloseTo(in[5 * 16 + 6] + 0.5f, within(1e-4f));
            }
        }
    }

    @Test
    void whereTheEditChangedFaintlyTheTargetKeepsTheEditInsteadOfFadingTowardTheInput() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        FaceWorld data = new FaceWorld(3, 40, 16);
        Manipulator faint = onePixel(0.05f); // half the change scale: m = 0.5 around the pixel
        try (NDManager m = manager.newSubManager();
                TeacherRefinement pool = TeacherRefinement.prepare(data, null, faint, teacher, "a prompt", "",
                        new Refinement(1, 0.2, 3f, 3), 16, 7, 1, new ParameterStore(m, false), m)) {
            NDArray[] xer = byHand(teacher, data, faint, 3, m);
            NDArray edited = xer[1];
            NDArray redrawn = xer[2];
            for (int i = 0; i < 3; i++) {
                float[] e = edited.get(i).toFloatArray();
                float[] r = redrawn.get(i).toFloatArray();
                float[] in = pool.input(i).toFloatArray();
                float[] t = pool.target(i).toFloatArray();
                for (int p = 0; p < t.length; p++) {
                    int row = (p % 256) / 16;
                    int col = p % 16;
                    float w = Math.abs(row - 5) <= 1 && Math.abs(col - 6) <= 1 ? 0.5f : 0f;
                    assertThat(t[p]).as("image %d value %d", i, p).isCloseTo(e[p] + w * (r[p] - e[p]), within(1e-5f));
                }
                // the changed pixel keeps half its edit beyond the half-way blend of the input and the redrawing
                int p = 5 * 16 + 6;
                assertThat(t[p] - (in[p] + 0.5f * (r[p] - in[p]))).isCloseTo(0.025f, within(1e-5f));
            }
        }
    }

    /**
     * The inputs, edits and redrawn edits that {@code prepare} (strength 0.2, CFG 3, size 16, seed 7) computes for its
     * first {@code n} images, by hand.
     */
    private static NDArray[] byHand(FakeTeacher teacher, FaceWorld data, Manipulator manip, int n, NDManager m) {
        List<Integer> chosen = TeacherRefinement.choose(data.size(), n, new SplittableRandom(7 * 7_919L + 101));
        NDArray x = ImageTensors.batch(chosen.stream().map(i -> ImageTensors.toRgb(data.get(i).image())).toList(),
                16, m);
        NDArray edited = manip.apply(null, x, false);
        try (Conditioning c = teacher.encode("a prompt", "", m)) {
            NDArray redrawn = new SdEdit(teacher).edit(edited, c, new SdEdit.Options(0.2, TeacherRefinement.DDIM_STEPS,
                    3f, 7 * 1_000_003L), m).clip(-1f, 1f);
            return new NDArray[] {x, edited, redrawn};
        }
    }

    @Test
    void imagesWhoseCaptionShowsTheTargetKeepThemselves() {
        FakeTeacher teacher = new FakeTeacher(0.05f, 3, 16);
        FaceWorld data = new FaceWorld(3, 40, 16);
        try (NDManager m = manager.newSubManager();
                TeacherRefinement pool = TeacherRefinement.prepare(data, java.util.regex.Pattern.compile("face|person"),
                        ONE_PIXEL, teacher, "a prompt", "", new Refinement(1, 0.2, 3f, 4), 16, 7, 1,
                        new ParameterStore(m, false), m)) {
            for (int i = 0; i < pool.size(); i++) {
                assertThat(pool.target(i).toFloatArray()).containsExactly(pool.input(i).toFloatArray());
            }
        }
    }

    @Test
    void refusesSettingsOutsideTheirRange() {
        assertThatThrownBy(() -> new Refinement(-1, 0.1, 3f, 8)).hasMessageContaining("--refine-steps");
        assertThatThrownBy(() -> new Refinement(10, 1.0, 3f, 8)).hasMessageContaining("--refine-strength");
        assertThatThrownBy(() -> new Refinement(10, 0.1, 0.5f, 8)).hasMessageContaining("--refine-guidance");
        assertThatThrownBy(() -> new Refinement(10, 0.1, 3f, 0)).hasMessageContaining("--refine-images");
        assertThat(Refinement.OFF.enabled()).isFalse();
    }
}
