package dev.coffer.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.error.ServiceException;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.SecretIdRequest;
import dev.coffer.server.testkit.InProcessSecrets;
import dev.coffer.server.testkit.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recovery windows end on time: the purge job, on a real store, with a clock the test moves. */
class SecretPurgerTest {
    private InProcessSecrets secrets;
    private MutableClock clock;
    private SecretPurger purger;

    @BeforeEach
    void open() {
        secrets = new InProcessSecrets();
        clock = secrets.clock;
        purger = new SecretPurger(secrets.store, clock);
    }

    @AfterEach
    void close() {
        secrets.close();
    }

    private Object call(String op, Object request) {
        return secrets.call(op, request);
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
