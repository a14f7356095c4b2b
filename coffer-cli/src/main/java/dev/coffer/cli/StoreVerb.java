package dev.coffer.cli;

import dev.coffer.server.store.StoreException;
import dev.coffer.server.store.snapshot.SnapshotException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * An operator verb that works on a store directly (migrate, backup, restore, migrate-store). Exit 0 on success; 1 with
 * {@code coffer VERB: why} on stderr when it refused or failed — and then it changed nothing it was not meant to.
 */
abstract class StoreVerb implements Callable<Integer> {
    static final int REFUSED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            int exit = run(spec.commandLine().getOut(), err);
            spec.commandLine().getOut().flush();
            return exit;
        } catch (SnapshotException | StoreException | IllegalStateException | IllegalArgumentException | IOException
                 | UncheckedIOException e) {
            err.println("coffer " + spec.name() + ": " + message(e));
            err.flush();
            return REFUSED;
        }
    }

    abstract int run(PrintWriter out, PrintWriter err) throws IOException;

    /** The message and its causes' (a store failure's own words, such as PostgreSQL's), never a stack trace. */
    private static String message(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) b.append(": ").append(c.getMessage());
        }
        return b.toString();
    }
}
