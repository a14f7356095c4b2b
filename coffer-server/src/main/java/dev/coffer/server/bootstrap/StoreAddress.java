package dev.coffer.server.bootstrap;

import dev.coffer.server.store.snapshot.Database;
import java.nio.file.Path;

/**
 * Which deployment's store an operator command works on: the embedded SQLite file of a data directory
 * ({@code --data-dir}), or a PostgreSQL database ({@code --storage postgresql://USER@HOST:PORT/DB} with its password
 * from a file or the environment). Never prints the password.
 */
public final class StoreAddress {
    private final Path dataDir;
    private final String storageUrl;
    private final String password;

    private StoreAddress(Path dataDir, String storageUrl, String password) {
        this.dataDir = dataDir;
        this.storageUrl = storageUrl;
        this.password = password;
    }

    public static StoreAddress dataDirectory(Path dataDir) {
        return new StoreAddress(dataDir, null, null);
    }

    /** @throws IllegalArgumentException for a URL that is not {@code postgresql://USER@HOST:PORT/DB} */
    public static StoreAddress postgres(String storageUrl, String password) {
        StorageLocation.parse(storageUrl); // refuse a bad URL before anything is opened
        return new StoreAddress(null, storageUrl, password);
    }

    public boolean embedded() {
        return dataDir != null;
    }

    /** The data directory of an embedded deployment, or null. */
    public Path dataDir() {
        return dataDir;
    }

    /** The root key's default place: DATA_DIR/root.key, or null on PostgreSQL (where every node is given it). */
    public Path defaultRootKey() {
        return dataDir == null ? null : dataDir.resolve("root.key");
    }

    Path sqliteFile() {
        return dataDir.resolve("coffer.db");
    }

    Database database() {
        if (dataDir != null) return Database.sqlite(sqliteFile());
        StorageLocation location = StorageLocation.parse(storageUrl);
        return Database.postgres(location.jdbcUrl(), location.user(), password, storageUrl);
    }

    @Override
    public String toString() {
        return dataDir != null ? dataDir.toString() : storageUrl;
    }
}
