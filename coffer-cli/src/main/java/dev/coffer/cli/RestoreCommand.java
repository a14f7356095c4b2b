package dev.coffer.cli;

import dev.coffer.server.bootstrap.StoreRestore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer restore}: loads a snapshot into an empty store of either engine, and verifies it. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Load a snapshot into an EMPTY store (either engine) and verify it.",
                "The content digest is recomputed from the target and the root key must open the restored keyring before "
                        + "the load commits. A non-empty target, a wrong root key, or an altered or truncated file is "
                        + "refused, leaving the target as it was."})
final class RestoreCommand extends StoreVerb {
    @Option(names = "--in", paramLabel = "FILE", required = true, description = "The snapshot file.")
    Path in;

    @Mixin
    StoreOptions store;

    @Option(names = "--root-key-file", paramLabel = "FILE",
            description = "The root key of the deployment the snapshot was taken from (default: DATA_DIR/root.key).")
    Path rootKeyFile;

    @Override
    int run(PrintWriter out, PrintWriter err) throws IOException {
        var address = store.address();
        StoreRestore.Result result = StoreRestore.run(in, address, rootKeyFile);
        var header = result.header();
        out.println("Restored " + in + " (taken " + header.createdAt() + " from " + header.sourceEngine() + ", schema "
                + header.schemaVersion() + ") into " + address + ": " + header.tables().size() + " tables, "
                + header.totalRows() + " rows; content sha256 " + header.digest() + " verified; the root key opens the keyring.");
        if (!result.migratedAfter().isEmpty()) {
            out.println("Then applied migrations " + String.join(", ", result.migratedAfter()) + ".");
        }
        if (result.rootKeyPlaced() != null) out.println("The root key was written to " + result.rootKeyPlaced() + ".");
        if (!address.embedded()) {
            out.println("Start the nodes with: coffer server --storage " + address + " --root-key-file "
                    + (rootKeyFile != null ? rootKeyFile : "ROOT_KEY"));
        }
        return 0;
    }
}
