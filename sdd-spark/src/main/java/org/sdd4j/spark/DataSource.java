package org.sdd4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.sdd4j.api.TrainingData;
import org.sdd4j.core.data.CaptionedFolder;
import org.sdd4j.core.data.FaceWorld;

/** Training data that a distillation task opens on its executor (a lambda works too: it is serializable). */
@FunctionalInterface
public interface DataSource extends Serializable {

    /** Opens the data on the executor. */
    TrainingData open();

    /** Rendered FaceWorld faces: the same on every executor for the same seed. */
    static DataSource faceWorld(long seed, int size, int resolution) {
        return () -> new FaceWorld(seed, size, resolution);
    }

    /** A CSV/JSONL list of captioned images on a folder every executor mounts (paths inside its folder). */
    static DataSource captioned(String list) {
        return () -> CaptionedFolder.open(Path.of(list));
    }
}
