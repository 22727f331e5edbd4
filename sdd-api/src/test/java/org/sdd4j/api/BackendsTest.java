package org.sdd4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.spi.SddBackend;

class BackendsTest {

    @Test
    void discoversBackendsOnTheClassPathHighestRankFirst() {
        assertThat(Backends.names()).containsExactly("broken", "fake");
        assertThat(Backends.available()).extracting(SddBackend::name).containsExactly("fake");
    }

    @Test
    void bestSkipsUnavailableBackends() {
        assertThat(Backends.best().name()).isEqualTo("fake");
    }

    @Test
    void bestForTrainingExplainsWhyNoneQualifies() {
        assertThatThrownBy(Backends::bestForTraining)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("training-capable")
                .hasMessageContaining("broken: natives missing")
                .hasMessageContaining("fake: available but cannot train");
    }

    @Test
    void getByNameIsCaseInsensitive() {
        assertThat(Backends.get("FAKE").name()).isEqualTo("fake");
    }

    @Test
    void unknownNameListsTheAvailableBackends() {
        assertThatThrownBy(() -> Backends.get("cuda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown backend 'cuda'; available backends: [broken, fake]");
    }

    @Test
    void emptyClassPathSaysWhichArtifactToAdd() {
        assertThatThrownBy(() -> Backends.pick(List.of(), false)).hasMessageContaining("sdd-backend-pytorch");
    }
}
