package org.sdd4j.backend.pytorch;

import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.tck.BackendContract;

/** The reference backend passes the backend test kit (its fixtures were written with it). */
class PyTorchBackendContractTest extends BackendContract {

    @Override
    protected SddBackend backend() {
        return new PyTorchBackend();
    }
}
