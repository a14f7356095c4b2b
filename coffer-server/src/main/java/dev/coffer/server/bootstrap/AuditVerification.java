package dev.coffer.server.bootstrap;

import dev.coffer.server.audit.ChainVerifier;
import dev.coffer.server.audit.DigestKeys;
import dev.coffer.server.store.ReadOnlyStore;
import dev.coffer.server.store.Store;
import java.nio.file.Path;

/**
 * {@code coffer audit verify}'s access to the trail: straight from the database (the SQLite file in a data
 * directory, or PostgreSQL), with only the public key, so the verifier need not trust a running server.
 */
public final class AuditVerification {
    private AuditVerification() {}

    /** Where a data directory keeps the public half of its digest signing key. */
    public static Path defaultPublicKey(Path dataDir) {
        return DigestKeys.publicKeyFile(dataDir.resolve(AuditWiring.SIGNING_KEY_FILE));
    }

    /**
     * @param storageUrl {@code postgresql://USER@HOST:PORT/DB}, or null for the SQLite file in {@code dataDir}
     */
    public static ChainVerifier.Report verify(Path dataDir, String storageUrl, String password, Path publicKey) {
        var key = DigestKeys.readPublic(publicKey);
        try (Store store = open(dataDir, storageUrl, password)) {
            return new ChainVerifier(store, key).verify();
        }
    }

    /** Read-only: checking the evidence must not change it (no migration, no writer). */
    private static Store open(Path dataDir, String storageUrl, String password) {
        if (storageUrl != null) {
            StorageLocation location = StorageLocation.parse(storageUrl);
            return ReadOnlyStore.postgres(location.jdbcUrl(), location.user(), password);
        }
        return ReadOnlyStore.sqlite(dataDir.resolve("coffer.db"));
    }
}
