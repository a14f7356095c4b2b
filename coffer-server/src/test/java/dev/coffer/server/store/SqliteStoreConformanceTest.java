package dev.coffer.server.store;

import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The store conformance suite on the embedded SQLite engine. */
class SqliteStoreConformanceTest extends StoreConformanceTest {
    private Path dir;

    @Override
    protected Store openStore() throws Exception {
        dir = Files.createTempDirectory("coffer-store-");
        return SqliteStore.open(dir.resolve("coffer.db"));
    }

    @Override
    protected Store reopenStore() {
        return SqliteStore.open(dir.resolve("coffer.db"));
    }

    @AfterEach
    void removeFiles() {
        TestServer.deleteRecursively(dir);
    }
}
