package dev.coffer.cli;

import dev.coffer.server.bootstrap.SchemaMigration;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coffer migrate}: applies pending schema migrations explicitly and says what it did. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Apply the store's pending schema migrations and print the resulting schema version.",
                "Refuses a schema newer than this Coffer knows, and a data directory whose server is running."})
final class MigrateCommand extends StoreVerb {
    @Mixin
    StoreOptions store;

    @Override
    int run(PrintWriter out, PrintWriter err) throws IOException {
        var address = store.address();
        SchemaMigration.Result result = SchemaMigration.run(address);
        if (result.applied().isEmpty()) {
            out.println("Nothing to apply: " + address + " is at schema version " + result.now() + ".");
        } else {
            out.println("Applied migration" + (result.applied().size() > 1 ? "s " : " ") + String.join(", ", result.applied())
                    + " to " + address + " (was " + (result.before() == null ? "empty" : "version " + result.before())
                    + "); schema version now " + result.now() + ".");
        }
        return 0;
    }
}
