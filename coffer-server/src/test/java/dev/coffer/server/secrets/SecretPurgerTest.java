package dev.coffer.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.store.SqliteStore;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recovery windows end on time: the purge job, on a real store, with a clock the test moves. */
class SecretPurgerTest {
    private Path dir;
    private SqliteStore store;
    private MutableClock clock;
    private Map<String, Operation<?, ?>> ops;
    private SecretPurger purger;
    private final CallContext ctx = new CallContext(
            new Principal("111122223333", "arn:aws:iam::111122223333:user/coffer-admin", "AIDA", "AKIA", Principal.Kind.USER),
            "111122223333", "us-east-1", "req-1", "127.0.0.1", "test");

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("coffer-purge-");
        clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        store = SqliteStore.open(dir.resolve("coffer.db"));
        Keyring keyring = Keyring.open(FileRootKeySource.createIfMissing(dir.resolve("root.key")), store, clock);
        ops = new SecretsManagerService(store, keyring, clock, new SecureRandom(), r -> true).operations().stream()
                .collect(Collectors.toMap(Operation::name, o -> o));
        purger = new SecretPurger(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
        TestServer.deleteRecursively(dir);
    }

    private Object call(String op, Object request) {
        return ops.get(op).invoke(ctx, request);
    }

    private void create(String name) {
        call("CreateSecret", new CreateSecretRequest(name, UUID.randomUUID().toString(), null, null, null, "v", null, null, null));
    }

    @Test
    void secretIsPurgedOnlyAfterItsRecoveryWindowEnds() {
        create("prod/db/reports");
        call("DeleteSecret", new DeleteSecretRequest("prod/db/reports", 7L, null));

        clock.advance(Duration.ofDays(7).minusMinutes(1));
        assertThat(purger.purgeDue()).isZero();
        assertThat(call("DescribeSecret", new SecretIdRequest("prod/db/reports"))).isNotNull();

        clock.advance(Duration.ofMinutes(2));
        assertThat(purger.purgeDue()).isEqualTo(1);
        assertThatThrownBy(() -> call("DescribeSecret", new SecretIdRequest("prod/db/reports")))
                .isInstanceOf(ServiceException.class).hasMessage("Secrets Manager can't find the specified secret.");
        // the name is free again
        create("prod/db/reports");
    }

    @Test
    void restoredSecretIsNeverPurged() {
        create("prod/db/ledger");
        call("DeleteSecret", new DeleteSecretRequest("prod/db/ledger", 7L, null));
        call("RestoreSecret", new SecretIdRequest("prod/db/ledger"));
        clock.advance(Duration.ofDays(31));
        assertThat(purger.purgeDue()).isZero();
        assertThat(call("DescribeSecret", new SecretIdRequest("prod/db/ledger"))).isNotNull();
    }

    @Test
    void defaultRecoveryWindowIsThirtyDays() {
        create("prod/db/audit");
        var deleted = (SecretsManagerMessages.DeleteSecretResponse) call("DeleteSecret",
                new DeleteSecretRequest("prod/db/audit", null, null));
        assertThat(deleted.DeletionDate()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    }
}
