package dev.coffer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer account}: accounts, through the AWS Organizations API. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Create and list accounts (AWS Organizations API).",
        subcommands = {AccountCreateCommand.class, AccountListCommand.class})
final class AccountCommand implements Runnable {
    static final String SIGNING_NAME = "organizations";
    static final String TARGET_PREFIX = "AWSOrganizationsV20161128";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
