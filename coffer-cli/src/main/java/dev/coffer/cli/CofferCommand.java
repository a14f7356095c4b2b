package dev.coffer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code coffer} command. One class per verb; {@code coffer server} runs the server. */
@Command(name = "coffer", mixinStandardHelpOptions = true, version = "coffer 0.1.0",
        description = "A self-hosted secrets manager that speaks the AWS Secrets Manager API.",
        subcommands = {ServerCommand.class})
public final class CofferCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CofferCommand()).execute(args));
    }
}
