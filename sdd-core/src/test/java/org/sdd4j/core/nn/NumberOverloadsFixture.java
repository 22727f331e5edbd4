package org.sdd4j.core.nn;

import ai.djl.ndarray.NDArray;

/** A class that uses a number overload, for {@link NumberOverloadsTest} to find. */
final class NumberOverloadsFixture {

    private NumberOverloadsFixture() {}

    static NDArray half(NDArray x) {
        return x.mul(0.5f);
    }

    static NDArray halfSafely(NDArray x) {
        return Ops.mul(x, 0.5f);
    }
}
