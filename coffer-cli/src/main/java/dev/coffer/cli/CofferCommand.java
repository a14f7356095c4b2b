package dev.coffer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code coffer} command. One class per verb; {@code coffer server} runs the server. */
@Command(name = "coffer", mixinStandardHelpOptions = true, version = "coffer 0.1.0",
        description = "A self-hosted secrets manager that speaks the AWS Secrets Manager API.",
        subcommands = {ServerCommand.class, AccessCommand.class, ReportCommand.class, AuditCommand.class, AccountCommand.class,
                MigrateCommand.class, BackupCommand.class, RestoreCommand.class, MigrateStoreCommand.class})
public final class CofferCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // At least 4 carrier threads for virtual threads, whatever the core count: on 2 cores the
        // default (2) let a busy carrier hold ready requests back, and p99 doubled (BENCHMARKS.md).
        // It must be set before the first virtual thread exists, so here, first thing.
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism",
                    String.valueOf(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code main} runs it (tests run it in-process with their own out and err). */
    static CommandLine commandLine() {
        return new CommandLine(new CofferCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
