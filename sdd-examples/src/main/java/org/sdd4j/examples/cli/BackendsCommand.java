package org.sdd4j.examples.cli;

import java.util.concurrent.Callable;
import org.sdd4j.api.Backends;
import org.sdd4j.api.spi.Capabilities;
import org.sdd4j.api.spi.SddBackend;
import picocli.CommandLine.Command;

/** Lists the discovered backends. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the compute backends found on the class path, their availability and capabilities.")
final class BackendsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-12s %-5s %-10s %-9s %-5s %-10s %s%n", "backend", "rank", "available", "training",
                "gpu", "device", "teacher formats / reason");
        for (SddBackend b : Backends.all()) {
            if (!b.isAvailable()) {
                // capabilities are only meaningful (and only asked) when a backend is available
                System.out.printf("%-12s %-5s %-10s %-9s %-5s %-10s %s%n", b.name(),
                        b.rank() == Integer.MIN_VALUE ? "-" : String.valueOf(b.rank()), "no", "-", "-", "none",
                        b.unavailableReason().orElse(""));
                continue;
            }
            Capabilities c;
            try {
                c = b.capabilities();
            } catch (IllegalStateException e) {
                System.out.printf("%-12s %-5d %-10s %-9s %-5s %-10s %s%n", b.name(), b.rank(), "no", "-", "-", "none",
                        e.getMessage());
                continue;
            }
            System.out.printf("%-12s %-5d %-10s %-9s %-5s %-10s %s%n", b.name(), b.rank(), "yes",
                    c.training() ? "yes" : "no", c.gpu() ? "yes" : "no", b.device(), String.join(", ", c.teacherFormats()));
        }
        return 0;
    }
}
