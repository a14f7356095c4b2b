package dev.coffer.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.identities.RowMacs;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.TestServer;
import dev.coffer.server.testkit.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A key's last use is recorded off the request's path, at most once a minute per key. */
class KeyLastUsedTest {

    @Test
    void lastUse_isWrittenAtMostOncePerMinutePerKey() throws Exception {
        Path dir = Files.createTempDirectory("coffer-last-used-");
        try (Store store = TestStores.open(dir)) {
            MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
            Keyring keyring = Keyring.open(FileRootKeySource.createIfMissing(dir.resolve("root.key")), store, clock);
            store.write(tx -> {
                tx.accessKeys().insert(new AccessKeyRow("AKIATEST", "111122223333", "arn:aws:iam::111122223333:user/u", "u",
                        new byte[] {1}, "Active", 0L, null, "AIDAU", null, null, new byte[] {2}));
                return null;
            });
            CredentialStore credentials = new CredentialStore(store, keyring, new RowMacs(keyring), clock);
            long start = clock.millis();

            credentials.recordUse("AKIATEST", "us-east-1", "secretsmanager");
            assertThat(awaitLastUsed(store, start)).isEqualTo(start);
            clock.advance(Duration.ofSeconds(30));
            credentials.recordUse("AKIATEST", "eu-west-1", "iam");
            Thread.sleep(300);
            assertThat(lastUsed(store).lastUsedAt()).as("within the minute: no second write").isEqualTo(start);
            clock.advance(Duration.ofSeconds(31));
            credentials.recordUse("AKIATEST", "eu-west-1", "iam");
            assertThat(awaitLastUsed(store, start + 61_000)).isEqualTo(start + 61_000);
            assertThat(lastUsed(store).lastUsedRegion()).isEqualTo("eu-west-1");
            assertThat(lastUsed(store).lastUsedService()).isEqualTo("iam");
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    private static AccessKeyRow lastUsed(Store store) {
        Optional<AccessKeyRow> row = store.read(tx -> tx.accessKeys().find("AKIATEST"));
        return row.orElseThrow();
    }

    private static Long awaitLastUsed(Store store, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Long at = lastUsed(store).lastUsedAt();
            if (at != null && at == expected) return at;
            Thread.sleep(20);
        }
        return lastUsed(store).lastUsedAt();
    }
}
