package dev.coffer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer access}: the access analyses. */
@Command(name = "access", mixinStandardHelpOptions = true, description = "Who can read a secret, what a principal can read, risky grants.",
        subcommands = {WhoCanCommand.class, WhatCanCommand.class, LintCommand.class})
final class AccessCommand implements Runnable {
    static final String SIGNING_NAME = "coffer";
    static final String TARGET_PREFIX = "CofferAccess_20261201";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
