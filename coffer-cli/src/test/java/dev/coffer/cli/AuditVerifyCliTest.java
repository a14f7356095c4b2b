package dev.coffer.cli;

import static dev.coffer.server.testkit.StoredAuditEvents.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.audit.AuditChain;
import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.testkit.StoredAuditEvents;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
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
        try (Connection db = db(dataDir)) {
            return StoredAuditEvents.bySeq(db, seq).eventId();
        }
    }

    /** Rewrites the stored events with {@code change}, as someone with the database file can. */
    private static void tamper(Path dataDir, UnaryOperator<List<AuditRow>> change) throws Exception {
        try (Connection db = db(dataDir)) {
            StoredAuditEvents.rewrite(db, change);
        }
    }

    /** Applies {@code edit} to the event with sequence number {@code seq}. */
    private static void edit(Path dataDir, long seq, UnaryOperator<AuditRow> edit) throws Exception {
        tamper(dataDir, rows -> rows.stream().map(r -> r.seq() == seq ? edit.apply(r) : r).toList());
    }

    private static AuditRow fromAnotherAddress(AuditRow r) {
        return with(with(r, "record_json", r.recordJson().replace("127.0.0.1", "10.1.2.3")), "source_ip", "10.1.2.3");
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
        edit(dir, 5, AuditVerifyCliTest::fromAnotherAddress);
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + id + ") was changed");
    }

    @Test
    void anEditedLookupColumn_isNamedToo() throws Exception {
        Path dir = tamperable();
        String id = eventId(dir, 6);
        edit(dir, 6, r -> with(r, "username", "someone-else"));
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("event 6 (eventID " + id + ") was changed: its indexed username disagrees");
    }

    @Test
    void anEditedActor_isNamed_forItWouldMisleadTheAlertBaselines() throws Exception {
        Path dir = tamperable();
        String id = eventId(dir, 7);
        edit(dir, 7, r -> with(r, "actor_arn", "arn:aws:iam::000000000000:user/someone-else"));
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("event 7 (eventID " + id + ") was changed: its indexed actor disagrees");
    }

    @Test
    void aDeletedEvent_isNamed() throws Exception {
        Path dir = tamperable();
        String next = eventId(dir, 5);
        tamper(dir, rows -> rows.stream().filter(r -> r.seq() != 4).toList());
        CliRun run = verify(dir);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: 1 event(s) were removed before event 5 (eventID " + next
                + "): sequence numbers 4..4 are missing");
    }

    @Test
    void anInsertedEvent_isNamed() throws Exception {
        Path dir = tamperable();
        String forgedId = UUID.randomUUID().toString();
        tamper(dir, rows -> {
            List<AuditRow> forged = new ArrayList<>();
            for (AuditRow r : rows) {
                if (r.seq() < 5) forged.add(r);
                else forged.add(with(r, "seq", r.seq() + 1)); // the events after make room
                if (r.seq() == 4) {
                    String json = r.recordJson().replaceAll("\"eventID\":\"[^\"]+\"", "\"eventID\":\"" + forgedId + "\"");
                    AuditRow copy = with(with(with(with(r, "seq", 5L), "event_id", forgedId), "record_json", json), "prev_hash",
                            r.hash());
                    forged.add(with(copy, "hash", AuditChain.hash(r.hash(), json))); // a forger can compute SHA-256
                }
            }
            return forged;
        });
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + forgedId + ") was inserted");
    }

    @Test
    void reorderedEvents_areNamed() throws Exception {
        Path dir = tamperable();
        String moved = eventId(dir, 6);
        tamper(dir, rows -> rows.stream().map(r -> r.seq() == 5 ? with(r, "seq", 6L) : r.seq() == 6 ? with(r, "seq", 5L) : r)
                .toList());
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: event 5 (eventID " + moved + ") was moved");
    }

    @Test
    void anEditHiddenByRebuildingTheChain_isCaughtByTheSignedDigest() throws Exception {
        Path dir = tamperable();
        tamper(dir, rows -> {
            List<AuditRow> rebuilt = new ArrayList<>();
            String prev = null;
            for (AuditRow r : rows) {
                if (r.seq() < 3) {
                    rebuilt.add(r);
                    prev = r.hash();
                    continue;
                }
                AuditRow changed = r.seq() == 3 ? fromAnotherAddress(r) : r;
                String hash = AuditChain.hash(prev, changed.recordJson());
                rebuilt.add(with(with(changed, "prev_hash", prev), "hash", hash));
                prev = hash;
            }
            return rebuilt;
        });
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).contains("Audit trail TAMPERED: digest #").contains("no longer hash to what it signed")
                .contains("and the chain's hashes rebuilt to hide it");
    }

    @Test
    void aDamagedBatch_cannotBeChecked_andIsNamed() throws Exception {
        Path dir = tamperable();
        long first;
        long last;
        try (Connection db = db(dir); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT first_seq, last_seq FROM audit_batches WHERE first_seq <= 5 AND last_seq >= 5")) {
            assertThat(rs.next()).isTrue();
            first = rs.getLong(1);
            last = rs.getLong(2);
            st.execute("UPDATE audit_batches SET events = zeroblob(64) WHERE first_seq = " + first);
        }
        CliRun run = verify(dir);
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("cannot verify the audit trail: the stored batch of audit events " + first + ".." + last
                + " cannot be read");
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
