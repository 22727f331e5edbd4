package com.example.sdd;

import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.tck.BackendContract;

/** The whole contract, in one line. */
class ReadOnlyBackendTest extends BackendContract {

    @Override
    protected SddBackend backend() {
        return new ReadOnlyBackend();
    }
}
