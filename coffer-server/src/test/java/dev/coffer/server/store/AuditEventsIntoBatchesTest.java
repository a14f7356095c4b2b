package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Upgrading a store whose events were kept a row each: every event moves into batches unchanged, and the old table goes. */
class AuditEventsIntoBatchesTest {
    @TempDir
    Path dir;

    @Test
    void eventsStoredARowEach_areReadBackUnchanged_afterTheUpgrade() throws Exception {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + dir.resolve("coffer.db"));
        Migrations.migrateTo(source, "BLOB", "9");
        List<AuditRow> before = new ArrayList<>();
        String previous = AuditRepository.GENESIS_HASH;
        for (long seq = 1; seq <= 2_500; seq++) { // more than two batches' worth
            String hash = "%064x".formatted(seq);
            before.add(new AuditRow(seq, "id-" + seq, 1_700_000_000_000L + seq, "123456789012", "us-east-1",
                    "secretsmanager.amazonaws.com", seq % 3 == 0 ? "PutSecretValue" : "GetSecretValue", "user" + seq % 5,
                    "AKIA" + seq % 5, seq % 3 != 0, "10.0.0." + seq % 7, seq % 11 == 0 ? "AccessDenied" : null,
                    seq % 13 == 0 ? null : new AuditRow.Resource("AWS::SecretsManager::Secret", "arn:s" + seq % 9, "s" + seq % 9,
                            seq % 17 == 0 ? "210987654321" : null),
                    "{\"eventID\":\"id-" + seq + "\"}", previous, hash, seq % 19 == 0 ? null : "arn:aws:iam::123456789012:user/u"));
            previous = hash;
        }
        try (Connection c = source.getConnection(); var ps = c.prepareStatement("INSERT INTO audit_events (seq, event_id, "
                + "event_time, account_id, region, event_source, event_name, username, access_key_id, read_only, source_ip, "
                + "error_code, resource_type, resource_arn, resource_name, resource_account, record_json, prev_hash, hash, "
                + "actor_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditRow r : before) {
                Object[] values = {r.seq(), r.eventId(), r.eventTime(), r.accountId(), r.region(), r.eventSource(), r.eventName(),
                        r.username(), r.accessKeyId(), r.readOnly() ? 1 : 0, r.sourceIp(), r.errorCode(),
                        r.resource() == null ? null : r.resource().type(), r.resource() == null ? null : r.resource().arn(),
                        r.resource() == null ? null : r.resource().name(), r.resource() == null ? null : r.resource().otherAccount(),
                        r.recordJson(), r.prevHash(), r.hash(), r.actorArn()};
                for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }

        assertThat(Migrations.migrate(source, "BLOB").applied()).contains("10", "11");

        try (Connection c = source.getConnection()) {
            AuditRepository audit = new AuditRepository(c);
            assertThat(audit.page(0, 10_000)).isEqualTo(before);
            assertThat(audit.bySeq(1_500)).contains(before.get(1_499));
            try (ResultSet rs = c.getMetaData().getTables(null, null, "audit_events", null)) {
                assertThat(rs.next()).as("the old table is gone").isFalse();
            }
        }
    }
}
