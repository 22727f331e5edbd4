package org.sdd4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SparkThreadsTest {

    @Test
    void sparkTasksGetOneLibtorchThreadUnlessTheUserAsked() {
        Assumptions.assumeTrue(System.getenv("SDD_THREADS") == null, "SDD_THREADS is set in this environment");
        String before = System.getProperty("sdd.threads");
        try {
            System.clearProperty("sdd.threads");
            SparkEditCommand.oneLibtorchThreadPerTask();
            assertThat(System.getProperty("sdd.threads")).isEqualTo("1");
            System.setProperty("sdd.threads", "3");
            SparkEditCommand.oneLibtorchThreadPerTask();
            assertThat(System.getProperty("sdd.threads")).isEqualTo("3");
        } finally {
            if (before == null) {
                System.clearProperty("sdd.threads");
            } else {
                System.setProperty("sdd.threads", before);
            }
        }
    }
}
