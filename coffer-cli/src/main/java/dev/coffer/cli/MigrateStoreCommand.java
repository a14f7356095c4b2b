package dev.coffer.cli;

import dev.coffer.server.bootstrap.StoreAddress;
import dev.coffer.server.bootstrap.StoreTransfer;
import dev.coffer.server.store.snapshot.StoreCopier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer migrate-store}: copies a whole embedded deployment into an empty PostgreSQL database. */
@Command(name = "migrate-store", mixinStandardHelpOptions = true,
        description = {"Copy a whole embedded (SQLite) deployment into an empty PostgreSQL database.",
                "Shows progress on stderr and verifies the copy. The deployment's server must be stopped: its data "
                        + "directory is locked for the copy."})
final class MigrateStoreCommand extends StoreVerb {
    @Option(names = "--data-dir", paramLabel = "DIR", required = true, description = "The embedded deployment's data directory.")
    Path dataDir;

    @Option(names = "--to", paramLabel = "URL", required = true, description = "The PostgreSQL database: postgresql://USER@HOST:PORT/DB.")
    String to;

    @Option(names = "--storage-password-file", paramLabel = "FILE",
            description = "The database password (else the environment variable COFFER_STORAGE_PASSWORD).")
    Path storagePasswordFile;

    @Option(names = "--progress", paramLabel = "auto|bar|plain", defaultValue = "auto",
            description = "Progress display on stderr (default: a bar on a terminal, plain lines otherwise).")
    String progress;

    @Override
    int run(PrintWriter out, PrintWriter err) throws IOException {
        boolean bar = switch (progress) {
            case "bar" -> true;
            case "plain" -> false;
            case "auto" -> ProgressBar.stderrIsTerminal();
            default -> throw new IllegalArgumentException("--progress takes auto, bar or plain");
        };
        StoreAddress target = StoreAddress.postgres(to, StoreOptions.password(storagePasswordFile));
        StoreCopier.Copied copied = StoreTransfer.run(dataDir, target, new ProgressBar(err, bar));
        out.println("Copied " + dataDir + " into " + to + ": " + copied.tables().size() + " tables, " + copied.totalRows()
                + " rows, schema " + copied.schemaVersion() + "; content sha256 " + copied.digest()
                + " matches the source's; the root key opens the copied keyring.");
        if (!copied.migratedAfter().isEmpty()) out.println("Then applied migrations " + String.join(", ", copied.migratedAfter()) + ".");
        out.println("Start the nodes with: coffer server --storage " + to + " --root-key-file " + dataDir.resolve("root.key")
                + (storagePasswordFile != null ? " --storage-password-file " + storagePasswordFile : "")
                + " (each node with its own --data-dir); do not start the embedded server on " + dataDir + " again.");
        return 0;
    }
}
