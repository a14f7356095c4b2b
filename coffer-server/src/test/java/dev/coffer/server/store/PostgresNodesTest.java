package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Coffer servers on PostgreSQL ({@code --storage postgresql://…}), through the SDK: the first node
 * initializes an empty database and creates the root key; a second node with its own data directory,
 * given the same root key file, serves the same secrets and identities at the same time; a node with
 * another root key, or none, refuses to start and says why. Skipped, saying so, without a PostgreSQL
 * server, except under CI.
 */
class PostgresNodesTest {
    private String database;
    private Path dir;

    @BeforeEach
    void freshDatabase() throws Exception {
        database = "coffer_nodes_" + UUID.randomUUID().toString().replace("-", "");
        dir = Files.createTempDirectory("coffer-pg-nodes-");
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) throw e;
            Assumptions.abort("SKIPPED: no PostgreSQL at " + PostgresStoreConformanceTest.SERVER + " (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropDatabase() {
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            // unreachable PostgreSQL: the test was skipped
        }
        TestServer.deleteRecursively(dir);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PostgresStoreConformanceTest.SERVER + "/postgres",
                PostgresStoreConformanceTest.USER, null);
    }

    private TestServer node(String name, Path rootKey) throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve(name));
        String url = "postgresql://" + PostgresStoreConformanceTest.USER + "@" + PostgresStoreConformanceTest.SERVER + "/" + database;
        return TestServer.startOn(dataDir, c -> c.withStorage(url, null, rootKey), false);
    }

    @Test
    void twoNodesShareOneDatabase_andTheRootKeyDecidesWhoMayJoin() throws Exception {
        Path rootKey = dir.resolve("root.key");
        try (TestServer first = node("node-1", rootKey)) {
            assertThat(rootKey).as("the initializing node writes the shared root key").isRegularFile();
            SecretsManagerClient sm1 = first.secretsManager();
            sm1.createSecret(r -> r.name("prod/payment/stripe/api").secretString("fake-stripe-key"));
            var iam1 = Clients.iam(first, Clients.of(first.adminCredentials()));
            iam1.createUser(r -> r.userName("reader"));
            iam1.putUserPolicy(r -> r.userName("reader").policyName("read").policyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                      "Resource":"*"}]}"""));
            AccessKey key = iam1.createAccessKey(r -> r.userName("reader")).accessKey();

            try (TestServer second = node("node-2", rootKey)) {
                assertThat(second.accountId()).isEqualTo(first.accountId());
                assertThat(second.adminCredentials().accessKeyId()).isEqualTo(first.adminCredentials().accessKeyId());
                // A user made through node 1 reads, through node 2, a secret node 1 stored — and a write on
                // node 2 is read back through node 1.
                SecretsManagerClient reader = Clients.secretsManager(second,
                        Clients.of(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())));
                assertThat(reader.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString())
                        .isEqualTo("fake-stripe-key");
                assertThat(sm1.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString())
                        .isEqualTo("fake-stripe-key"); // now in node 1's read cache
                second.secretsManager().putSecretValue(r -> r.secretId("prod/payment/stripe/api").secretString("fake-rotated"));
                // Acknowledged by node 2, so node 1's very next read serves it: no waiting, no polling.
                String seen = sm1.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString();
                assertThat(seen).as("node 1 serves node 2's write").isEqualTo("fake-rotated");
            }
        }

        Path otherKey = dir.resolve("other-root.key");
        Files.writeString(otherKey, java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> node("intruder", otherKey)).hasStackTraceContaining("the root key does not match this store");
        assertThatThrownBy(() -> node("keyless", dir.resolve("missing.key")))
                .hasStackTraceContaining("is already initialized: give this node the root key file");
    }
}
