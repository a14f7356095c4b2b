package dev.coffer.cli;

import dev.coffer.server.bootstrap.StoreAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which store an operator verb works on: {@code --data-dir DIR} or {@code --storage URL [--storage-password-file F]}. */
final class StoreOptions {
    static final class Where {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "The embedded deployment's data directory.")
        Path dataDir;

        @Option(names = "--storage", paramLabel = "URL", description = "A PostgreSQL store: postgresql://USER@HOST:PORT/DB.")
        String storage;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    @Option(names = "--storage-password-file", paramLabel = "FILE",
            description = "The database password (else the environment variable COFFER_STORAGE_PASSWORD).")
    Path storagePasswordFile;

    StoreAddress address() throws IOException {
        if (where.dataDir != null) return StoreAddress.dataDirectory(where.dataDir);
        return StoreAddress.postgres(where.storage, password(storagePasswordFile));
    }

    static String password(Path file) throws IOException {
        if (file != null) return Files.readString(file).strip();
        return System.getenv("COFFER_STORAGE_PASSWORD");
    }
}
