package org.sdd4j.core.testing;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests that compute on the PyTorch engine: one root manager per test class. */
public abstract class EngineTest {

    /** The root manager of the test class. */
    protected static NDManager manager;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }
}
