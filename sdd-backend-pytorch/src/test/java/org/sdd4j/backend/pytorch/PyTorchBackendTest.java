package org.sdd4j.backend.pytorch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.SddBackend;

class PyTorchBackendTest {

    @Test
    void isDiscoveredThroughServiceLoaderAndCanTrain() {
        SddBackend b = Backends.get("pytorch");
        assertThat(b.name()).isEqualTo("pytorch");
        assertThat(b.isAvailable()).as(b.unavailableReason().orElse("")).isTrue();
        assertThat(b.capabilities().training()).isTrue();
        assertThat(b.capabilities().teacherFormats()).contains("sdd-unet");
        assertThat(Backends.bestForTraining().name()).isEqualTo("pytorch");
    }

    @Test
    void computesOnTheCpuWhenNoGpuIsReported() {
        // these machines have no GPU: the backend must fall back to the CPU and say so
        boolean engineSeesGpu = ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() > 0;
        assertThat(PyTorchBackend.computeDevice().isGpu()).isEqualTo(engineSeesGpu);
        if (!engineSeesGpu) {
            assertThat(PyTorchBackend.computeDevice()).isEqualTo(ai.djl.Device.cpu());
            assertThat(new PyTorchBackend().device()).isEqualTo("cpu()");
        }
        try (NDManager m = PyTorchBackend.newRootManager()) {
            assertThat(m.getDevice()).isEqualTo(PyTorchBackend.computeDevice());
            assertThat(m.ones(new ai.djl.ndarray.types.Shape(2)).sum().getFloat()).isEqualTo(2f);
        }
    }

    @Test
    void offlineModeIsOnByDefault() {
        new PyTorchBackend().isAvailable();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }
}
