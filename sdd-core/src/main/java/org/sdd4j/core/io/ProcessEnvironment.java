package org.sdd4j.core.io;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Sets environment variables of the running process (C {@code setenv}), for native libraries that
 * read their settings from the environment when they load: libtorch's oneDNN ISA cap and log level,
 * TensorFlow's log level. Java cannot change its own environment otherwise.
 */
public final class ProcessEnvironment {

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private ProcessEnvironment() {}

    /**
     * Sets a variable unless it is already set.
     *
     * @param name the variable
     * @param value its value
     * @throws IllegalStateException if the C library cannot be called
     */
    public static void setIfAbsent(String name, String value) {
        try {
            if (Native.load("c", LibC.class).setenv(name, value, 0) != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IllegalStateException("could not set " + name + " in this process (" + e.getMessage()
                    + "); set it in the environment", e);
        }
    }
}
