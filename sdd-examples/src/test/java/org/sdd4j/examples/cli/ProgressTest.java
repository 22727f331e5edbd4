package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theEstimateSaysHowLongTheRestTakes() {
        assertThat(Progress.estimate("teacher", 2400, 0.9)).isEqualTo(
                "teacher: about 36 min for the remaining 2400 steps (0.90 s per step over the first 10)");
        assertThat(Progress.estimate("distill", 20, 0.5)).startsWith("distill: about 10 s");
        assertThat(Progress.estimate("teacher", 30000, 1.2)).startsWith("teacher: about 10.0 h");
    }
}
