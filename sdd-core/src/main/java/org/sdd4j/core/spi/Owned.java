package org.sdd4j.core.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Function;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Editor;
import org.sdd4j.api.NoiseSchedule;
import org.sdd4j.api.PredictionType;
import org.sdd4j.api.TeacherSpace;

/**
 * Editors and teachers that own the root manager they were loaded under and close it with themselves,
 * so a backend hands out objects whose native memory is released by {@code close()} alone. Shared by
 * every backend.
 */
public final class Owned {

    private Owned() {}

    /**
     * Loads something under a new root manager that the result owns; the root is closed if loading fails.
     *
     * @param root a new root manager
     * @param load loads under it
     * @param wrap makes the loaded object close the root too
     * @return the wrapped object
     */
    public static <T, R> R load(NDManager root, Function<NDManager, T> load, java.util.function.BiFunction<T,
            NDManager, R> wrap) {
        try {
            return wrap.apply(load.apply(root), root);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** An editor that also closes {@code root}. */
    public static Editor editor(Editor editor, NDManager root) {
        return new ForwardingEditor() {
            @Override
            protected Editor delegate() {
                return editor;
            }

            @Override
            public void close() {
                try (root) {
                    editor.close();
                }
            }
        };
    }

    /** A teacher that also closes {@code root}. */
    public static DiffusionTeacher teacher(DiffusionTeacher teacher, NDManager root) {
        return new DiffusionTeacher() {
            @Override
            public String id() {
                return teacher.id();
            }

            @Override
            public String checksum() {
                return teacher.checksum();
            }

            @Override
            public NoiseSchedule schedule() {
                return teacher.schedule();
            }

            @Override
            public TeacherSpace space() {
                return teacher.space();
            }

            @Override
            public PredictionType predictionType() {
                return teacher.predictionType();
            }

            @Override
            public NDArray embed(List<String> prompts, NDManager manager) {
                return teacher.embed(prompts, manager);
            }

            @Override
            public NDArray predict(NDArray xt, int[] timesteps, NDArray embeddings) {
                return teacher.predict(xt, timesteps, embeddings);
            }

            @Override
            public int imageSize() {
                return teacher.imageSize();
            }

            @Override
            public NDArray toTeacherSpace(NDArray images) {
                return teacher.toTeacherSpace(images);
            }

            @Override
            public NDArray toImages(NDArray x0) {
                return teacher.toImages(x0);
            }

            @Override
            public void close() {
                try (root) {
                    teacher.close();
                }
            }
        };
    }
}
