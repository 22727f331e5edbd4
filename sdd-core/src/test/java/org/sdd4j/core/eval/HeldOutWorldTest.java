package org.sdd4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Another held-out world: the same protocol on other faces, never the training world. */
class HeldOutWorldTest {

    @Test
    void theDefaultWorldIsTheExplicitDefaultSeedAndAnotherSeedGivesOtherFaces() {
        EditTarget edit = EditTarget.BLOND;
        List<Integer> byDefault = HeldOut.indices(edit, 20, 32);
        assertThat(HeldOut.indices(HeldOut.HELD_OUT_WORLD, edit, 20, 32)).isEqualTo(byDefault);
        List<Integer> other = HeldOut.indices(2024, edit, 20, 32);
        assertThat(other).hasSize(20);
        assertThat(HeldOut.world(2024, 32).face(other.get(0)).attributes())
                .isNotEqualTo(HeldOut.world(32).face(other.get(0)).attributes());
        // every face of the other world needs the edit, and its counterfactual shows the target
        for (int i : other) {
            assertThat(edit.appliesTo(HeldOut.world(2024, 32).face(i))).isTrue();
        }
        assertThat(HeldOut.counterfactuals(2024, edit, other, 32))
                .allMatch(f -> f.attributes().labels()[edit.head()] == edit.targetClass());
    }

    @Test
    void theTrainingWorldIsRefused() {
        assertThatThrownBy(() -> HeldOut.world(HeldOut.TRAIN_WORLD, 32)).hasMessageContaining("training world");
        assertThatThrownBy(() -> HeldOut.indices(1, EditTarget.SMILING, 5, 32)).hasMessageContaining("training world");
    }
}
