package org.sdd4j.backend.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThreadPolicyTest {

    @Test
    void oneThreadUnlessWaitingThreadsSleep() {
        assertThat(ThreadPolicy.configured(null, null, 8)).isEqualTo(1);
        assertThat(ThreadPolicy.configured("", "ACTIVE", 8)).isEqualTo(1);
        assertThat(ThreadPolicy.configured(null, "PASSIVE", 8)).isEqualTo(8);
        assertThat(ThreadPolicy.configured(null, " passive ", 2)).isEqualTo(2);
    }

    @Test
    void anAskedCountWins() {
        assertThat(ThreadPolicy.configured("3", "PASSIVE", 8)).isEqualTo(3);
        assertThat(ThreadPolicy.configured(" 2 ", null, 1)).isEqualTo(2);
    }

    @Test
    void aBadCountIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ThreadPolicy.configured("0", "PASSIVE", 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SDD_THREADS").hasMessageContaining("'0'");
        assertThatThrownBy(() -> ThreadPolicy.configured("two", null, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two'");
    }
}
