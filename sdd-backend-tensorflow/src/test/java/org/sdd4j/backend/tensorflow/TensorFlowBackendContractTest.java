package org.sdd4j.backend.tensorflow;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.sdd4j.api.spi.SddBackend;
import org.sdd4j.tck.BackendContract;

/** The TensorFlow backend passes the kit on the kit's bundle exported as SavedModels. */
@Tag("tensorflow")
class TensorFlowBackendContractTest extends BackendContract {

    @Override
    protected SddBackend backend() {
        return new TensorFlowBackend();
    }

    @Override
    protected Path editorFolder(Path referenceBundle, Path scratch) {
        return backend().exportEditor(referenceBundle, scratch, false);
    }
}
