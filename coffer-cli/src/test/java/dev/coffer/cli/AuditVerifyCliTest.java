package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.audit.AuditChain;
import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code coffer audit verify} against a stopped server's data directory, read directly: intact, it says so and
 * exits 0; with one stored event edited, deleted, inserted or moved, it exits 1 naming that event by sequence
 * number and eventID; with the chain's hashes rebuilt after an edit, the signed digest no longer matches and is
 * named; a digest is checked against the key given, not whatever key signed it.
 */
class AuditVerifyCliTest {
    private static TestServer server;
    private static Path original;

    @TempDir
    Path copy;

    @BeforeAll
    static void trailWithADigest() throws Exception {
        // Digests every 200 ms, so the session is covered by one before the server stops.
        server = TestServer.start(c -> c.withAudit(new AuditSettings(true, Duration.ofMillis(200), null)));
        SecretsManagerClient sm = server.secretsManager();
        for (int i = 0; i < 4; i++) {
            String name = "verify/secret-" + i;
            sm.createSecret(r -> r.name(name).secretString(UUID.randomUUID().toString()));
            sm.getSecretValue(r -> r.secretId(name));
        }
        long head;
        try (Connection db = db(server.dataDir()); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_seq FROM audit_chain")) {
            rs.next();
            head = rs.getLong(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (signedUpTo(server.dataDir()) < head) {
            assertThat(System.nanoTime()).as("a digest covering the session within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        server.stop();
        original = server.dataDir();
    }

    @AfterAll
    static void remove() {
        TestServer.deleteRecursively(original);
    }

    private static long signedUpTo(Path dataDir) throws Exception {
        try (Connection db = db(dataDir); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(last_seq), 0) FROM audit_digests")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection db(Path dataDir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("coffer.db"));
    }

    /** A fresh copy of the stopped server's database and public key, to tamper with. */
    private Path tamperable() throws Exception {
        for (String f : new String[] {"coffer.db", "coffer.db-wal", "coffer.db-shm", "audit-signing.pub"}) {
            if (Files.exists(original.resolve(f))) Files.copy(original.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private static CliRun verify(Path dataDir) {
        return CliRun.of("audit", "verify", "--data-dir", dataDir.toString());
    }

    private static String eventId(Path dataDir, long seq) throws Exception {
        try (Connection db = db(dataDir); PreparedStatement ps = db.prepareStatement("SELECT event_id FROM audit_events WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static void sql(Path dataDir, String... statements) throws Exception {
        try (Connection db = db(dataDir); Statement st = db.createStatement()) {
            for (String s : statements) st.execute(s);
        }
    }

    @Test
    void intactTrail_isSaidToBeIntact_andLeftAsItWas() throws Exception {
        Path dir = tamperable();
        byte[] before = Files.readAllBytes(dir.resolve("coffer.db"));
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).startsWith("Audit trail intact:").contains("signed digests verified");
        assertThat(Files.readAllBytes(dir.resolve("coffer.db"))).as("checking the evidence does not change it").isEqualTo(before);
    }

    @Test
    void anEditedEvent_isNamed() throws Exception {
        Path dir = tamperable();
        String id = eventId(dir, 5);
        sql(dir, "UPDATE audit_events SET record_json = replace(record_json, '127.0.0.1', '10.1.2.3'), source_ip = '10.1.2.3' "
                + "WHERE seq = 5");
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + id + ") was changed");
    }

    @Test
    void anEditedLookupColumn_isNamedToo() throws Exception {
        Path dir = tamperable();
        String id = eventId(dir, 6);
        sql(dir, "UPDATE audit_events SET username = 'someone-else' WHERE seq = 6");
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("event 6 (eventID " + id + ") was changed: its indexed username disagrees");
    }

    @Test
    void anEditedActor_isNamed_forItWouldMisleadTheAlertBaselines() throws Exception {
        Path dir = tamperable();
        String id = eventId(dir, 7);
        sql(dir, "UPDATE audit_events SET actor_arn = 'arn:aws:iam::000000000000:user/someone-else' WHERE seq = 7");
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("event 7 (eventID " + id + ") was changed: its indexed actor disagrees");
    }

    @Test
    void aDeletedEvent_isNamed() throws Exception {
        Path dir = tamperable();
        String next = eventId(dir, 5);
        sql(dir, "DELETE FROM audit_events WHERE seq = 4");
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: 1 event(s) were removed before event 5 (eventID " + next
                + "): sequence numbers 4..4 are missing");
    }

    @Test
    void anInsertedEvent_isNamed() throws Exception {
        Path dir = tamperable();
        String forgedId = UUID.randomUUID().toString();
        try (Connection db = db(dir); Statement st = db.createStatement()) {
            st.execute("UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= 5");
            st.execute("UPDATE audit_events SET seq = seq - 1000000 + 1 WHERE seq >= 1000000");
            String json;
            String prev;
            try (ResultSet rs = st.executeQuery("SELECT record_json, hash FROM audit_events WHERE seq = 4")) {
                rs.next();
                json = rs.getString(1).replaceAll("\"eventID\":\"[^\"]+\"", "\"eventID\":\"" + forgedId + "\"");
                prev = rs.getString(2);
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit_events SELECT 5, ?, event_time, account_id, "
                    + "region, event_source, event_name, username, access_key_id, read_only, source_ip, error_code, "
                    + "resource_type, resource_arn, resource_name, resource_account, ?, ?, ?, actor_arn FROM audit_events WHERE seq = 4")) {
                ps.setString(1, forgedId);
                ps.setString(2, json);
                ps.setString(3, prev);
                ps.setString(4, AuditChain.hash(prev, json)); // a forger can compute SHA-256
                ps.executeUpdate();
            }
        }
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + forgedId + ") was inserted");
    }

    @Test
    void reorderedEvents_areNamed() throws Exception {
        Path dir = tamperable();
        String moved = eventId(dir, 6);
        sql(dir, "UPDATE audit_events SET seq = -1 WHERE seq = 5", "UPDATE audit_events SET seq = 5 WHERE seq = 6",
                "UPDATE audit_events SET seq = 6 WHERE seq = -1");
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + moved + ") was moved");
    }

    @Test
    void anEditHiddenByRebuildingTheChain_isCaughtByTheSignedDigest() throws Exception {
        Path dir = tamperable();
        try (Connection db = db(dir); Statement st = db.createStatement()) {
            st.execute("UPDATE audit_events SET record_json = replace(record_json, '127.0.0.1', '10.1.2.3'), "
                    + "source_ip = '10.1.2.3' WHERE seq = 3");
            String prev;
            try (ResultSet rs = st.executeQuery("SELECT hash FROM audit_events WHERE seq = 2")) {
                rs.next();
                prev = rs.getString(1);
            }
            java.util.List<Object[]> rows = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT seq, record_json FROM audit_events WHERE seq >= 3 ORDER BY seq")) {
                while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                for (Object[] r : rows) {
                    String hash = AuditChain.hash(prev, (String) r[1]);
                    ps.setString(1, prev);
                    ps.setString(2, hash);
                    ps.setLong(3, (Long) r[0]);
                    ps.executeUpdate();
                    prev = hash;
                }
            }
        }
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: digest #").contains("no longer hash to what it signed")
                .contains("and the chain's hashes rebuilt to hide it");
    }

    @Test
    void digestsAreCheckedAgainstTheKeyGiven() throws Exception {
        Path dir = tamperable();
        Path other = copy.resolve("other");
        Files.createDirectories(other);
        dev.coffer.server.audit.DigestKeys.loadOrCreate(other.resolve("audit-signing.key"));
        CliRun run = CliRun.of("audit", "verify", "--data-dir", dir.toString(), "--public-key",
                other.resolve("audit-signing.pub").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("was signed by another key");
    }

    @Test
    void noDatabase_cannotBeChecked() {
        CliRun run = CliRun.of("audit", "verify", "--data-dir", copy.resolve("nothing-here").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot verify the audit trail");
    }
}
