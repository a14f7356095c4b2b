package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.PostgresDatabase;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** The report's reads (an account's secrets, their tags, their current versions) on PostgreSQL as on SQLite. */
class HygieneReportPostgresTest {

    @Test
    void theReportReadsTheSameFactsOnPostgresql() {
        try (PostgresDatabase database = PostgresDatabase.create("coffer_hygiene");
             TestServer server = TestServer.start(c -> c.withStorage(database.storageUrl(), null, null));
             SecretsManagerClient secrets = server.secretsManager()) {
            String value = "pg-hygiene-" + UUID.randomUUID();
            secrets.createSecret(b -> b.name("prod/pg/db").secretString(value).tags(
                    Tag.builder().key("Owner").value("data").build(), Tag.builder().key("classification").value("High").build(),
                    Tag.builder().key("rotation-days").value("30").build()));
            secrets.createSecret(b -> b.name("pg-untagged").secretString(value));
            secrets.replicateSecretToRegions(b -> b.secretId("prod/pg/db")
                    .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build()));
            try (SecretsManagerClient eu = server.secretsManager("eu-west-1")) {
                eu.getSecretValue(b -> b.secretId("prod/pg/db"));
            }

            RawClient.Response r = RawClient.of(server).request(null).target(AccessService.TARGET_PREFIX + ".HygieneReport")
                    .service(AccessService.SIGNING_NAME).body("{}").send();
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(r.body()).doesNotContain(value);
            JsonNode inventory = r.json().path("Inventory");
            assertThat(inventory.size()).as("the replica is reported through its primary").isEqualTo(2);
            JsonNode db = inventory.get(1);
            assertThat(db.path("SecretName").asText()).isEqualTo("prod/pg/db");
            assertThat(db.path("Owner").asText()).isEqualTo("data");
            assertThat(db.path("Classification").asText()).isEqualTo("High");
            assertThat(db.path("RotationFrequencyHours").asLong()).isEqualTo(30 * 24);
            assertThat(db.has("LastRotatedDate")).as("the current version's creation").isTrue();
            assertThat(db.has("LastAccessedDate")).as("read through its replica").isTrue();
            assertThat(r.json().path("Findings").toString()).contains("pg-untagged").doesNotContain("\"SubjectName\":\"prod/pg/db\"");
        }
    }
}
