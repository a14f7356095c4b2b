package dev.coffer.cli;

import dev.coffer.server.bootstrap.StoreBackup;
import dev.coffer.server.store.snapshot.SnapshotWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer backup}: an encrypted, consistent snapshot of a whole store, taken while servers keep running. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write an encrypted, consistent snapshot of the whole store, while servers keep running.",
                "It is sealed under a key derived from the root key: keep the root key too, apart from the backups."})
final class BackupCommand extends StoreVerb {
    @Mixin
    StoreOptions store;

    @Option(names = "--root-key-file", paramLabel = "FILE", description = "The root key (default: DATA_DIR/root.key).")
    Path rootKeyFile;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The snapshot file to write (must not exist).")
    Path out;

    @Override
    int run(PrintWriter stdout, PrintWriter err) throws IOException {
        var address = store.address();
        SnapshotWriter.Written written = StoreBackup.run(address, rootKeyFile, out, Clock.systemUTC());
        var header = written.header();
        stdout.println("Backed up " + address + " to " + out + ": " + header.tables().size() + " tables, " + header.totalRows()
                + " rows, " + written.bytes() + " bytes, schema " + header.schemaVersion() + " (" + header.sourceEngine()
                + "), content sha256 " + header.digest());
        return 0;
    }
}
