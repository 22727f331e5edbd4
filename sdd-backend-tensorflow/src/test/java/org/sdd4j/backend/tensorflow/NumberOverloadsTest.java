package org.sdd4j.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.nn.NumberOverloads;

/** No number overload of mul, div or pow in this module's classes (see org.sdd4j.core.nn.Ops#mul). */
class NumberOverloadsTest {

    @Test
    void callsNoNumberOverload() throws Exception {
        assertThat(NumberOverloads.in(Path.of("target/classes"))).isEmpty();
    }
}
