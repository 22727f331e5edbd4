package org.sdd4j.backend.pytorch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

/** The convolution that returned NaN under oneDNN's AVX-512 kernels now gives the same result every time. */
class CpuIsaGuardTest {

    @Test
    void capIsInForceWhenTheUserSetNone() {
        assertThat(System.getenv(CpuIsaGuard.VARIABLE)).as("this module's tests run without the variable").isNull();
        assertThat(PyTorchBackend.cpuIsaCap()).isEqualTo("SSE41");
    }

    @Test
    void libtorchWarnsNoMoreOnceTheEngineIsUpWhenTheUserSetNoLogLevel() {
        assertThat(System.getenv(CpuIsaGuard.LOG_VARIABLE)).as("this module's tests run without the variable").isNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/maps")),
                "the loaded libc10 is found through /proc (Linux)");
        PyTorchBackend.engine();
        // found in the loaded libc10 and raised from its default (warnings) to errors only
        assertThat(CpuIsaGuard.libtorchLogLevel()).isEqualTo(CpuIsaGuard.ERRORS_ONLY);
    }

    @Test
    void repeatedConvolutionIsDeterministic() {
        try (NDManager m = PyTorchBackend.newRootManager()) {
            NDArray x = m.randomNormal(new Shape(2, 40, 8, 8));
            NDArray w = m.randomNormal(new Shape(8, 40, 3, 3));
            NDArray b = m.zeros(new Shape(8));
            float first = Float.NaN;
            for (int i = 0; i < 1500; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray xi = x.duplicate();
                    xi.attach(step);
                    float v = Conv2d.conv2d(xi, w, b, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow().abs().sum()
                            .getFloat();
                    if (i == 0) {
                        first = v;
                        assertThat(v).isFinite();
                    }
                    assertThat(v).as("call %d", i).isEqualTo(first);
                }
            }
        }
    }
}
