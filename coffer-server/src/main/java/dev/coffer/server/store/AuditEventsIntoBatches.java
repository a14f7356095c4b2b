package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 11: moves the events stored a row each (audit_events, up to version 9) into batch rows (audit_batches,
 * version 10) and drops the old table. Java, not SQL, because a batch is compressed. Events keep their seq, fields and
 * hashes, so the chain, the signed digests, the lookup index and the exports' cursors stay valid as they are.
 */
public final class AuditEventsIntoBatches implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("11");
    }

    @Override
    public String getDescription() {
        return "audit events into batches";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        AuditRepository batches = new AuditRepository(c);
        long after = Long.MIN_VALUE;
        try (var ps = c.prepareStatement("SELECT seq, event_id, event_time, account_id, region, event_source, event_name, "
                + "username, access_key_id, read_only, source_ip, error_code, resource_type, resource_arn, resource_name, "
                + "resource_account, record_json, prev_hash, hash, actor_arn FROM audit_events WHERE seq > ? ORDER BY seq LIMIT "
                + AuditBatch.MAX_EVENTS)) {
            while (true) {
                ps.setLong(1, after);
                List<AuditRow> rows = new ArrayList<>(AuditBatch.MAX_EVENTS);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(row(rs));
                }
                if (rows.isEmpty()) break;
                batches.insertBatches(rows);
                after = rows.getLast().seq();
            }
        }
        try (var st = c.createStatement()) {
            st.execute("DROP TABLE audit_events");
        }
    }

    private static AuditRow row(ResultSet rs) throws SQLException {
        String arn = rs.getString(14);
        AuditRow.Resource resource = arn == null ? null
                : new AuditRow.Resource(rs.getString(13), arn, rs.getString(15), rs.getString(16));
        return new AuditRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10) == 1, rs.getString(11), rs.getString(12),
                resource, rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20));
    }
}
