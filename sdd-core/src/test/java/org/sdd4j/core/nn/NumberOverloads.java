package org.sdd4j.core.nn;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Finds calls of DJL's number overloads of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}
 * (and what is built on them) in
 * compiled classes: on PyTorch's CPU device they leave autograd reading freed memory in the backward pass (see
 * {@link Ops#mul}). NumberOverloadsTest runs it over every module.
 */
public final class NumberOverloads {

    /** Invocations that reach the number overloads. */
    static final Pattern FORBIDDEN = Pattern.compile("Method ai/djl/ndarray/(NDArray|NDArrays|internal/NDArrayEx)\\."
            + "(mul|div|pow|muli|divi|powi|maximum|minimum|scaleGradient|swish):\\(([^)]*Ljava/lang/Number;[^)]*|D|F)\\)");

    private NumberOverloads() {}

    /**
     * The calls in the classes of the module (folder or jar) a class was loaded from.
     *
     * @param member a class of that module
     */
    public static List<String> inModuleOf(Class<?> member) throws IOException {
        Path where;
        try {
            where = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + member, e);
        }
        if (Files.isDirectory(where)) {
            return in(where);
        }
        List<String> names = new ArrayList<>();
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(where.toFile())) {
            jar.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.equals("module-info.class"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        return in(where, names.toArray(String[]::new));
    }

    /**
     * The calls in the classes under a folder (or in a jar, with {@code only} naming its classes), as "class /
     * method: call".
     *
     * @param classes a folder of compiled classes, such as target/classes, or a jar
     * @param only class names to look at (binary names), or none for every class under the folder
     */
    public static List<String> in(Path classes, String... only) throws IOException {
        List<String> names = new ArrayList<>(List.of(only));
        if (names.isEmpty()) {
            try (Stream<Path> files = Files.walk(classes)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                    String rel = classes.relativize(f).toString();
                    names.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
                });
            }
        }
        List<String> found = new ArrayList<>();
        if (names.isEmpty()) {
            return found;
        }
        ToolProvider javap = ToolProvider.findFirst("javap")
                .orElseThrow(() -> new IllegalStateException("javap is not in this JDK"));
        List<String> args = new ArrayList<>(List.of("-c", "-p", "-cp", classes.toString()));
        args.addAll(names);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = javap.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("javap failed (" + rc + "): " + err);
        }
        String cls = "?";
        String method = "?";
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("public ") || line.startsWith("final ") || line.startsWith("class ")
                    || line.startsWith("abstract ") || line.startsWith("interface ")) {
                cls = line.replaceFirst(" (extends|implements) .*", "").replaceFirst(" \\{$", "").trim();
            } else if (line.startsWith("  ") && !line.startsWith("   ") && line.contains("(")) {
                method = line.trim();
            }
            Matcher m = FORBIDDEN.matcher(line);
            if (m.find()) {
                found.add(cls + " / " + method + ": " + m.group());
            }
        }
        return found;
    }
}
