package dev.coffer.server.bootstrap;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.snapshot.Database;
import dev.coffer.server.store.snapshot.SnapshotHeader;
import dev.coffer.server.store.snapshot.SnapshotRestorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code coffer restore}: loads a snapshot into an empty store of either engine. The whole file is checked — root key,
 * every chunk, row counts, content digest — before the target is touched; the load is one transaction, verified (digest
 * recomputed from the target, keyring opened with the root key) before it commits. An embedded target's data directory
 * is locked meanwhile and, once restored, given the root key as {@code root.key} if it has none, as a server expects.
 */
public final class StoreRestore {
    /** What was restored, and whether the root key was placed in the target's data directory. */
    public record Result(SnapshotHeader header, List<String> migratedAfter, Path rootKeyPlaced) {}

    private StoreRestore() {}

    public static Result run(Path in, StoreAddress target, Path rootKeyFile) {
        Path keyFile = RootKeyFile.resolve(rootKeyFile, target);
        try (SecretBytes rootKey = RootKeyFile.read(keyFile)) {
            SnapshotHeader header = SnapshotRestorer.verify(in, rootKey);
            if (!target.embedded()) return restore(in, rootKey, target.database(), keyFile, header, null);
            DataDirectory locked = DataDirectory.open(target.dataDir());
            try {
                return restore(in, rootKey, target.database(), keyFile, header, target.defaultRootKey());
            } finally {
                locked.close();
            }
        }
    }

    private static Result restore(Path in, SecretBytes rootKey, Database database, Path keyFile, SnapshotHeader header,
                                  Path placeKeyAt) {
        SnapshotRestorer.checkTarget(database, header);
        SnapshotRestorer.Restored restored = SnapshotRestorer.load(in, rootKey, database, KeyringCheck.opensWith(keyFile));
        Path placed = null;
        if (placeKeyAt != null && !Files.exists(placeKeyAt)) {
            try {
                FileRootKeySource.writeOwnerOnly(placeKeyAt, Files.readAllBytes(keyFile));
                placed = placeKeyAt;
            } catch (IOException e) {
                throw new UncheckedIOException("restored, but could not write the root key to " + placeKeyAt, e);
            }
        }
        return new Result(restored.header(), restored.migratedAfter(), placed);
    }
}
