package org.sdd4j.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.sdd4j.api.DiffusionTeacher;
import org.sdd4j.api.Distiller;
import org.sdd4j.api.Editor;
import org.sdd4j.api.TimestepSelector;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;

/** The kit fails, naming the broken rule, on backends that each break one point of the contract. */
class KitSelfTest {

    /** A backend that is fine unless a subclass breaks something; its editor returns the reference edits. */
    abstract static class Wrong implements SddBackend {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int rank() {
            return 1;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Capabilities capabilities() {
            return new Capabilities(false, false, Set.of());
        }

        @Override
        public String device() {
            return "cpu()";
        }

        @Override
        public DiffusionTeacher loadTeacher(Path folder) {
            throw new UnsupportedOperationException("no teachers");
        }

        @Override
        public TimestepSelector newTimestepSelector() {
            throw new UnsupportedOperationException("no search");
        }

        @Override
        public Distiller newDistiller() {
            throw new UnsupportedOperationException("fake cannot train");
        }

        @Override
        public NDManager newManager() {
            throw new UnsupportedOperationException("no engine");
        }

        @Override
        public Editor loadEditor(Path bundle) {
            if (!Files.isRegularFile(bundle.resolve("manifest.json"))) {
                throw new IllegalArgumentException(bundle + " is not an editor bundle");
            }
            checkDamage(bundle);
            return new ReferenceEditor(this);
        }

        void checkDamage(Path bundle) {
            try (var files = Files.list(bundle)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".params")).toList()) {
                    String name = p.getFileName().toString();
                    String expected = name.substring(name.lastIndexOf('-') + 1, name.lastIndexOf('.'));
                    String actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest
                            .getInstance("SHA-256").digest(Files.readAllBytes(p))).substring(0, 16);
                    if (!actual.equals(expected)) {
                        throw new IllegalArgumentException(name + " is damaged");
                    }
                }
            } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The edit of an input (the reference's, looked up by size). */
        Image edit(Image in) {
            for (String name : TckFixtures.INPUTS) {
                Image candidate = TckFixtures.image("inputs/" + name);
                if (candidate.getWidth() == in.getWidth() && candidate.getHeight() == in.getHeight()) {
                    return TckFixtures.image("expected/" + name);
                }
            }
            return in;
        }
    }

    static final class ReferenceEditor implements Editor {
        private final Wrong backend;

        ReferenceEditor(Wrong backend) {
            this.backend = backend;
        }

        @Override
        public Set<String> edits() {
            return Set.of(TckFixtures.EDIT);
        }

        @Override
        public Image edit(Image image, String edit) {
            if (!edit.equals(TckFixtures.EDIT)) {
                throw new IllegalArgumentException("edit \"" + edit + "\" unknown; known: [" + TckFixtures.EDIT + "]");
            }
            return backend.edit(image);
        }

        @Override
        public List<Image> edit(List<Image> images, String edit) {
            return images.stream().map(i -> edit(i, edit)).toList();
        }

        @Override
        public void close() {}
    }

    /** A correct fake, so the kit is known to pass what these tests break. */
    static final class Correct extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {};
        }
    }

    static final class UpperCaseName extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public String name() {
                    return "Acme";
                }
            };
        }
    }

    static final class DishonestAvailability extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public Optional<String> unavailableReason() {
                    return Optional.of("driver missing");
                }
            };
        }
    }

    static final class ClaimsTrainingButCannot extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public Capabilities capabilities() {
                    return new Capabilities(true, false, Set.of("sdd-unet"));
                }
            };
        }
    }

    static final class SaysNoTrainingButDoesNotRefuse extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public Distiller newDistiller() {
                    return r -> r.outputDir();
                }
            };
        }
    }

    static final class WrongEdits extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                Image edit(Image in) {
                    return in;
                }
            };
        }
    }

    static final class UnknownEditNotIllegalArgument extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public Editor loadEditor(Path bundle) {
                    Editor ok = super.loadEditor(bundle);
                    return new Editor() {
                        @Override
                        public Set<String> edits() {
                            return ok.edits();
                        }

                        @Override
                        public Image edit(Image image, String edit) {
                            if (!edit.equals(TckFixtures.EDIT)) {
                                throw new IllegalStateException("boom");
                            }
                            return ok.edit(image, edit);
                        }

                        @Override
                        public List<Image> edit(List<Image> images, String edit) {
                            return ok.edit(images, edit);
                        }

                        @Override
                        public void close() {}
                    };
                }
            };
        }
    }

    static final class NotThreadSafe extends BackendContract {
        @Override
        protected SddBackend backend() {
            AtomicInteger calls = new AtomicInteger();
            return new Wrong() {
                @Override
                Image edit(Image in) {
                    // every call after the first eight returns the input: results depend on call order
                    return calls.incrementAndGet() > 8 ? in : super.edit(in);
                }
            };
        }
    }

    static final class AcceptsDamagedBundles extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                void checkDamage(Path bundle) {}
            };
        }
    }

    static final List<ByteBuffer> LEAK = new ArrayList<>();

    static final class LeaksOnEveryLoad extends BackendContract {
        @Override
        protected SddBackend backend() {
            return new Wrong() {
                @Override
                public Editor loadEditor(Path bundle) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                    for (int i = 0; i < b.capacity(); i += 4096) {
                        b.put(i, (byte) 1);
                    }
                    LEAK.add(b);
                    return super.loadEditor(bundle);
                }
            };
        }
    }

    private static TestExecutionSummary run(Class<?> contract, String method) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(contract, method)).build(),
                listener);
        return listener.getSummary();
    }

    private static String failure(Class<?> contract, String method) {
        TestExecutionSummary s = run(contract, method);
        assertThat(s.getTestsFoundCount()).as(contract.getSimpleName() + "." + method + " found").isEqualTo(1);
        assertThat(s.getTotalFailureCount()).as(contract.getSimpleName() + "." + method + " fails").isEqualTo(1);
        return s.getFailures().get(0).getException().getMessage();
    }

    @Test
    void aCorrectBackendPassesEveryRuleThatDoesNotNeedAnEngine() {
        for (String m : List.of("availabilityIsHonest", "trainingCapabilityIsTrue", "editsMatchTheReferenceBackend",
                "unknownEditIsAnIllegalArgumentNamingTheKnownOnes", "editIsThreadSafe",
                "aDamagedBundleIsRefusedWithAClearMessage", "memoryStaysFlatOverRepeatedLoadsAndEdits")) {
            TestExecutionSummary s = run(Correct.class, m);
            assertThat(s.getTotalFailureCount()).as(m + ": " + s.getFailures().stream()
                    .map(f -> String.valueOf(f.getException().getMessage())).toList()).isZero();
            assertThat(s.getTestsSucceededCount()).as(m).isEqualTo(1);
        }
    }

    @Test
    void eachBrokenRuleFailsWithAMessageNamingIt() {
        assertThat(failure(UpperCaseName.class, "nameIsLowerCaseAndRankIsStable")).contains("name()");
        assertThat(failure(DishonestAvailability.class, "availabilityIsHonest")).contains("unavailableReason()");
        assertThat(failure(ClaimsTrainingButCannot.class, "trainingCapabilityIsTrue")).contains("no teachers");
        assertThat(failure(SaysNoTrainingButDoesNotRefuse.class, "trainingCapabilityIsTrue"))
                .contains("training: no must refuse");
        assertThat(failure(WrongEdits.class, "editsMatchTheReferenceBackend")).contains("reference edit");
        assertThat(failure(UnknownEditNotIllegalArgument.class, "unknownEditIsAnIllegalArgumentNamingTheKnownOnes"))
                .contains("IllegalArgumentException");
        assertThat(failure(NotThreadSafe.class, "editIsThreadSafe")).contains("8 threads");
        assertThat(failure(AcceptsDamagedBundles.class, "aDamagedBundleIsRefusedWithAClearMessage"))
                .contains("damaged file");
        assertThat(failure(LeaksOnEveryLoad.class, "memoryStaysFlatOverRepeatedLoadsAndEdits"))
                .contains("resident memory growth");
        LEAK.clear();
    }
}
