package org.sdd4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NumberOverloadsTest {

    @Test
    void coreCallsNoNumberOverload() throws Exception {
        assertThat(NumberOverloads.in(Path.of("target/classes"))).isEmpty();
    }

    @Test
    void theScanFindsANumberOverload() throws Exception {
        assertThat(NumberOverloads.in(Path.of("target/test-classes"), NumberOverloadsFixture.class.getName()))
                .singleElement().asString().contains("half(").contains("NDArray.mul:(Ljava/lang/Number;)");
    }
}
