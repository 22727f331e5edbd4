package org.sdd4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.core.nn.NumberOverloads;

/**
 * No module calls DJL's number overloads of mul, div or pow (see org.sdd4j.core.nn.Ops#mul): the modules other than
 * sdd-core (which checks its own, with a fixture that shows the check can fail), wherever the build put their
 * classes (a folder or a jar).
 */
class NumberOverloadsTest {

    @Test
    void noModuleCallsANumberOverload() throws Exception {
        for (Class<?> member : List.of(org.sdd4j.api.Editor.class, org.sdd4j.backend.pytorch.PyTorchBackend.class,
                org.sdd4j.backend.tensorflow.TensorFlowBackend.class, org.sdd4j.spark.EditorSource.class,
                NumberOverloadsTest.class.getClassLoader().loadClass("org.sdd4j.examples.cli.SddCommand"))) {
            assertThat(NumberOverloads.inModuleOf(member)).as(member.getName()).isEmpty();
        }
    }
}
