package dev.coffer.cli;

import dev.coffer.server.testkit.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code coffer} verbs in-process against a test server, as the admin, and keeps what they printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CofferCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The verb's words, then the options that point it at the server with the bootstrap admin's profile. */
    static CliRun asAdmin(TestServer server, String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(List.of("--endpoint-url", server.endpoint().toString(), "--credentials-file",
                server.adminCredentialsFile().toString(), "--profile", "coffer-admin"));
        return of(args.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
