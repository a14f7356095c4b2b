package dev.coffer.server.bootstrap;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.store.snapshot.Database;
import dev.coffer.server.store.snapshot.SnapshotWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code coffer backup}: an encrypted, consistent snapshot of a whole store, taken while its servers keep running. An
 * embedded store is read beside its server (WAL), without its data directory's lock. The root key must open the store's
 * keyring, so a backup can never be sealed under a key that would not restore it.
 */
public final class StoreBackup {
    private StoreBackup() {}

    public static SnapshotWriter.Written run(StoreAddress source, Path rootKeyFile, Path out, Clock clock) {
        Database database = source.database();
        if (!database.exists()) throw new IllegalStateException("there is no Coffer database at " + database.describe());
        Path keyFile = RootKeyFile.resolve(rootKeyFile, source);
        try (SecretBytes rootKey = RootKeyFile.read(keyFile)) {
            return SnapshotWriter.write(database, rootKey, KeyringCheck.opensWith(keyFile), out, clock);
        }
    }
}
