package org.sdd4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.sdd4j.core.io.Messages;
import org.sdd4j.core.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sdd} command line: one subcommand per use case of the library. */
@Command(name = "sdd", mixinStandardHelpOptions = true, version = "sdd 0.1.0",
        description = "Selective Diffusion Distillation for the JVM: train a small image manipulator under a"
            + " frozen diffusion teacher, then edit images in one forward pass.",
        subcommands = {DemoCommand.class, BackendsCommand.class, FaceWorldCommand.class, TrainTeacherCommand.class,
            TrainOracleCommand.class, SampleCommand.class, EvaluateTeacherCommand.class, EvaluateCommand.class, BenchCommand.class, SearchCommand.class, DistillCommand.class, EditCommand.class, SparkEditCommand.class, TeacherInfoCommand.class, EvaluateEditCommand.class, TrainPriorCommand.class, TrainUpsamplerCommand.class, ExportCommand.class, EvaluateResolutionCommand.class, CacheCommand.class, CommandLine.HelpCommand.class})
public final class SddCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        System.err.println("error: name a command, e.g. `sdd demo` or `sdd --help`");
        return 2;
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        Interrupts.install();
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SddCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message;
            if (e instanceof UncheckedIOException u) {
                message = Messages.describe(u);
            } else if (e instanceof IOException io) {
                message = Messages.describe(io);
            } else {
                message = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            cmd.getErr().println((e instanceof TrainingStoppedException ? "stopped: " : "error: ") + message);
            if (System.getenv("SDD_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof TrainingStoppedException ? Interrupts.EXIT_STOPPED : 1;
        });
        return cl.execute(args);
    }
}
