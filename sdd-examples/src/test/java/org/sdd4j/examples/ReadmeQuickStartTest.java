package org.sdd4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's "Use it from your project" is exactly the example the build compiles and tests. */
class ReadmeQuickStartTest {

    private static String block(String readme, String section, String fence) {
        int at = readme.indexOf(section);
        assertThat(at).as("README has the section " + section).isNotNegative();
        int start = readme.indexOf(fence + "\n", at) + fence.length() + 1;
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    private static String unindent(String s) {
        return Arrays.stream(s.split("\n")).map(l -> l.startsWith("  ") ? l.substring(2) : l)
                .collect(Collectors.joining("\n")).strip();
    }

    @Test
    void readmeShowsTheTestedPomFragmentAndJavaFile() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String pom = Files.readString(Path.of("../examples/quickstart/pom.xml"));
        String fragment = pom.substring(pom.indexOf("<!-- BEGIN README -->") + "<!-- BEGIN README -->".length(),
                pom.indexOf("<!-- END README -->"));
        assertThat(block(readme, "## Use it from your project", "```xml").strip()).isEqualTo(unindent(fragment));
        String java = Files.readString(Path.of("../examples/quickstart/src/main/java/com/example/QuickStart.java"));
        assertThat(block(readme, "## Use it from your project", "```java").strip()).isEqualTo(java.strip());
    }
}
