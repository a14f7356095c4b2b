package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.bootstrap.AuditVerification;
import dev.coffer.server.testkit.StoredAuditEvents;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The audit trail on PostgreSQL: two nodes on one database, each reading and writing concurrently, append to one
 * chain (no fork, no gap: every call is one event and {@code coffer audit verify}'s checker finds the chain and the
 * digests, signed by either node with the shared key, intact); and reads fail closed while the audit table refuses
 * inserts, resuming without a restart. Skipped, saying so, without a PostgreSQL server, except under CI.
 */
class AuditPostgresTest {
    private static final String SERVER = System.getenv().getOrDefault("COFFER_TEST_POSTGRES", "127.0.0.1:5432");
    private static final String USER = "postgres";
    private String database;
    private Path dir;

    @BeforeEach
    void freshDatabase() throws Exception {
        database = "coffer_audit_" + UUID.randomUUID().toString().replace("-", "");
        dir = Files.createTempDirectory("coffer-pg-audit-");
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) throw e;
            Assumptions.abort("SKIPPED: no PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropDatabase() {
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            // unreachable PostgreSQL: the test was skipped
        }
        TestServer.deleteRecursively(dir);
    }

    private static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/" + db, USER, null);
    }

    private String url() {
        return "postgresql://" + USER + "@" + SERVER + "/" + database;
    }

    private TestServer node(String name) throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve(name));
        return TestServer.startOn(dataDir, c -> c.withStorage(url(), null, dir.resolve("root.key"))
                .withAudit(new AuditSettings(true, Duration.ofMillis(300), dir.resolve("audit-signing.key"))), false);
    }

    private static SecretsManagerClient client(TestServer node) {
        return SecretsManagerClient.builder().endpointOverride(node.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(() -> node.adminCredentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    /** How many events are stored (decoded from their batches: each must be there, not just its seq range). */
    private long events() throws SQLException {
        try (Connection db = connect(database)) {
            return StoredAuditEvents.all(db).size();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection db = connect(database); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twoNodesAppendingConcurrently_keepOneIntactChain() throws Exception {
        try (TestServer first = node("node-1"); TestServer second = node("node-2")) {
            List<SecretsManagerClient> clients = List.of(client(first), client(second));
            for (int s = 0; s < 4; s++) {
                String name = "pg/audit-" + s;
                clients.getFirst().createSecret(r -> r.name(name).secretString("v0"));
            }
            long before = events();
            AtomicInteger calls = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SecretsManagerClient sm = clients.get(t % 2);
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String name = "pg/audit-" + ((thread + i) % 4);
                        if (i % 5 == 0) sm.putSecretValue(r -> r.secretId(name).secretString(UUID.randomUUID().toString()));
                        else sm.getSecretValue(r -> r.secretId(name));
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
            pool.shutdown();
            assertThat(events() - before).as("one event per call").isEqualTo(calls.get());
            long head = count("SELECT last_seq FROM audit_chain");
            assertThat(head).as("no gap, no fork: the head is the number of events").isEqualTo(events());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count("SELECT COALESCE(MAX(last_seq), 0) FROM audit_digests") < head) {
                assertThat(System.nanoTime()).as("a digest covering every event within 20 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        ChainVerifier.Report report = AuditVerification.verify(null, url(), null, dir.resolve("audit-signing.pub"));
        assertThat(report.findings()).as("findings").isEmpty();
        assertThat(report.eventsChecked()).isEqualTo(events());
        assertThat(report.digestsChecked()).isPositive();
    }

    @Test
    void whileTheAuditTableRefusesInserts_readsFailClosed_andResumeWithoutRestart() throws Exception {
        try (TestServer node = node("node-1")) {
            SecretsManagerClient sm = client(node);
            sm.createSecret(r -> r.name("pg/fail-closed").secretString("pg-fail-closed-value"));
            try (Connection db = connect(database); Statement st = db.createStatement()) {
                st.execute("CREATE FUNCTION audit_refuses() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; "
                        + "END $$ LANGUAGE plpgsql");
                st.execute("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_batches FOR EACH ROW EXECUTE FUNCTION audit_refuses()");
            }
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("pg/fail-closed")))
                    .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            try (Connection db = connect(database); Statement st = db.createStatement()) {
                st.execute("DROP TRIGGER audit_refuses ON audit_batches");
            }
            assertThat(sm.getSecretValue(r -> r.secretId("pg/fail-closed")).secretString()).isEqualTo("pg-fail-closed-value");
        }
    }
}
