package org.conv4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.conv4j.BuildInfo;
import org.conv4j.cli.support.Failures;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * {@code conv4j}: the command-line tool. Subcommands {@code filter} (image filter banks),
 * {@code conv} (one convolution on .npy files) and {@code verify} (native vs reference).
 *
 * <p>Exit codes: 0 success, 1 failure (verify found a case over the bound, native library missing,
 * internal error), 2 bad input (one line on stderr naming the file or flag; no output file written).
 */
@Command(name = "conv4j", mixinStandardHelpOptions = true, versionProvider = Conv4jCli.Version.class,
        description = "Fast, provably right 2D convolution: image filter banks, .npy convolution, verification.",
        footer = {"", "Two more commands run through the ./conv4j launcher (their jars are separate):",
                "  bench         the JMH benchmarks of every backend (./conv4j bench --help)",
                "  spark-filter  the filter job on Apache Spark (./conv4j spark-filter --help)"},
        subcommands = {FilterCommand.class, ConvCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Conv4jCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the tool with the given streams and returns the exit code (the tests' entry point). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        PrintWriter o = new PrintWriter(out, true), e = new PrintWriter(err, true);
        CommandLine cli = new CommandLine(new Conv4jCli());
        cli.setOut(o);
        cli.setErr(e);
        cli.setParameterExceptionHandler(Conv4jCli::onBadArguments);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(prefix(cmd) + Failures.message(ex));
            if (System.getenv("CONV4J_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return Failures.exitCode(ex);
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError oom) { // picocli passes Errors through its handlers
            e.println("conv4j: out of memory (" + oom.getMessage() + "); use a smaller --batch or give the JVM more,"
                    + " e.g. JAVA_OPTS=-Xmx4g");
            return Failures.FAILED;
        } finally {
            o.flush();
            e.flush();
        }
    }

    private static int onBadArguments(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(prefix(cmd) + ex.getMessage().replaceAll("\\s*\\R\\s*", " ") + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        return Failures.BAD_INPUT;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: filter, conv, verify (or, through ./conv4j, bench, spark-filter)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"conv4j " + BuildInfo.version()}; // the CLI ships in the same build as the library
        }
    }
}
