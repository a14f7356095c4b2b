package dev.coffer.server.bootstrap;

import dev.coffer.server.store.snapshot.Progress;
import dev.coffer.server.store.snapshot.StoreCopier;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code coffer migrate-store}: copies a whole embedded deployment into an empty PostgreSQL database. The data
 * directory is locked for the whole copy, so its server cannot be running or start meanwhile; the copy commits only once
 * its content digest equals the source's and the deployment's root key opens the copied keyring.
 */
public final class StoreTransfer {
    private StoreTransfer() {}

    public static StoreCopier.Copied run(Path dataDir, StoreAddress target, Progress progress) {
        if (target.embedded()) throw new IllegalArgumentException("migrate-store copies into PostgreSQL: --to postgresql://…");
        StoreAddress source = StoreAddress.dataDirectory(dataDir);
        if (!Files.exists(source.sqliteFile())) throw new IllegalStateException("there is no Coffer database in " + dataDir);
        Path rootKey = source.defaultRootKey();
        DataDirectory locked = DataDirectory.open(dataDir);
        try {
            return StoreCopier.copy(source.database(), target.database(), KeyringCheck.opensWith(rootKey), progress);
        } finally {
            locked.close();
        }
    }
}
