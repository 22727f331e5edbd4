package org.sdd4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sdd4j.api.spi.SddBackend;

class BackendsTest {

    @Test
    void discoversBackendsOnTheClassPathHighestRankFirst() {
        assertThat(Backends.names()).containsExactly("acme", "broken", "fake", "org.sdd4j.api.UninstantiableBackend");
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
                .hasMessage("unknown backend 'cuda'; available backends: [acme, broken, fake,"
                        + " org.sdd4j.api.UninstantiableBackend]");
    }

    @Test
    void emptyClassPathSaysWhichArtifactToAdd() {
        assertThatThrownBy(() -> Backends.pick(List.of(), false)).hasMessageContaining("sdd-backend-pytorch");
    }

    @Test
    void aPluginThatThrowsFromAnySpiMethodIsListedAsUnavailableAndBreaksNothing() {
        for (String method : List.of("name", "rank", "isAvailable", "unavailableReason", "capabilities", "device")) {
            System.setProperty(ThrowingBackend.PROPERTY, method);
            try {
                List<SddBackend> all = Backends.all();
                assertThat(all).as(method).extracting(SddBackend::name).contains("broken", "fake");
                assertThat(Backends.available()).as(method).extracting(SddBackend::name)
                        .containsAnyOf("fake").doesNotContain("broken");
                if (!method.equals("device")) {
                    assertThat(Backends.available()).as(method).extracting(SddBackend::name).containsExactly("fake");
                    assertThat(Backends.best().name()).as(method).isEqualTo("fake");
                    SddBackend acme = all.stream().filter(b -> b.name().equals("acme")
                            || b.name().equals(ThrowingBackend.class.getName())).findFirst().orElseThrow();
                    assertThat(acme.isAvailable()).isFalse();
                    assertThat(acme.unavailableReason().orElseThrow()).as(method).contains("acme driver crashed in "
                            + method);
                }
            } finally {
                System.clearProperty(ThrowingBackend.PROPERTY);
            }
        }
    }

    @Test
    void aPluginWhoseClassCannotBeCreatedIsListedWithItsReason() {
        SddBackend never = Backends.all().stream().filter(b -> b.name().contains("UninstantiableBackend")).findFirst()
                .orElseThrow();
        assertThat(never.isAvailable()).isFalse();
        assertThat(never.unavailableReason().orElseThrow()).contains("could not be created")
                .contains("no acme-jni in java.library.path");
        assertThat(Backends.best().name()).isEqualTo("fake");
    }
}
