package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.secrets.SecretPurger;
import dev.coffer.server.secrets.SecretsManagerMessages.CreateSecretRequest;
import dev.coffer.server.secrets.SecretsManagerMessages.DeleteSecretRequest;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.testkit.InProcessSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret's scheduled deletion, completed by the purge job, is recorded as Secrets Manager records it in
 * CloudTrail: {@code EndSecretDeletion}, an {@code AwsServiceEvent} by the service principal, in the
 * transaction that deletes — and it is part of the same verified, signed chain as every call.
 */
class PurgeEventsTest {
    private InProcessSecrets secrets;
    private AuditLog audit;

    @TempDir
    Path keys;

    @BeforeEach
    void open() {
        secrets = new InProcessSecrets();
        audit = new AuditLog(secrets.store);
    }

    @AfterEach
    void close() {
        audit.close();
        secrets.close();
    }

    @Test
    void theEndOfARecoveryWindow_isAServiceEventInTheSignedChain() throws Exception {
        secrets.call("CreateSecret", new CreateSecretRequest("prod/db/old", UUID.randomUUID().toString(), null, null, null,
                "old-value", null, null, null));
        secrets.call("DeleteSecret", new DeleteSecretRequest("prod/db/old", 7L, null));
        secrets.clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(new SecretPurger(secrets.store, secrets.clock, audit).purgeDue()).isEqualTo(1);

        List<AuditRow> rows = secrets.store.read(tx -> tx.audit().page(0, 100));
        assertThat(rows).hasSize(1);
        JsonNode record = new ObjectMapper().readTree(rows.getFirst().recordJson());
        assertThat(record.path("eventName").asText()).isEqualTo("EndSecretDeletion");
        assertThat(record.path("eventType").asText()).isEqualTo("AwsServiceEvent");
        assertThat(record.path("userIdentity").path("type").asText()).isEqualTo("AWSService");
        assertThat(record.path("userIdentity").path("invokedBy").asText()).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(record.path("sourceIPAddress").asText()).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(record.path("eventTime").asText()).isEqualTo(secrets.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        assertThat(record.path("resources").get(0).path("ARN").asText()).contains(":secret:prod/db/old-");
        assertThat(record.toString()).doesNotContain("old-value");
        assertThat(rows.getFirst().resource().name()).isEqualTo("prod/db/old");

        var key = DigestKeys.loadOrCreate(keys.resolve("audit-signing.key"));
        new ChainDigests(secrets.store, key, secrets.clock).sign();
        ChainVerifier.Report report = new ChainVerifier(secrets.store, DigestKeys.readPublic(keys.resolve("audit-signing.pub")))
                .verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.eventsChecked()).isEqualTo(1);
        assertThat(report.digestsChecked()).isEqualTo(1);
        assertThat(report.unsignedEvents()).isZero();
    }
}
