package dev.coffer.server.testkit;

import dev.coffer.server.store.AuditBatch;
import dev.coffer.server.store.AuditRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The audit events in a database, read (and, for tampering tests, rewritten) straight from the {@code audit_batches}
 * rows as someone with the database file would: decoded with the stored format, not through Coffer's repository.
 */
public final class StoredAuditEvents {
    private StoredAuditEvents() {}

    /** Every stored event, in stored order. */
    public static List<AuditRow> all(Connection db) throws SQLException {
        List<AuditRow> all = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT events FROM audit_batches ORDER BY first_seq")) {
            while (rs.next()) all.addAll(AuditBatch.decode(rs.getBytes(1)));
        }
        return all;
    }

    public static AuditRow bySeq(Connection db, long seq) throws SQLException {
        return all(db).stream().filter(r -> r.seq() == seq).findFirst()
                .orElseThrow(() -> new AssertionError("no stored event " + seq));
    }

    /**
     * Replaces the stored events with {@code change} of them, stored again in seq order, a few per batch: what a tamperer
     * with write access to the database and knowledge of the format can do.
     */
    public static void rewrite(Connection db, UnaryOperator<List<AuditRow>> change) throws SQLException {
        List<AuditRow> rows = new ArrayList<>(change.apply(all(db)));
        rows.sort(Comparator.comparingLong(AuditRow::seq));
        try (Statement st = db.createStatement()) {
            st.execute("DELETE FROM audit_batches");
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit_batches (first_seq, last_seq, events) VALUES (?, ?, ?)")) {
            for (int from = 0; from < rows.size(); from += 3) {
                List<AuditRow> batch = rows.subList(from, Math.min(rows.size(), from + 3));
                ps.setLong(1, batch.getFirst().seq());
                ps.setLong(2, batch.getLast().seq());
                ps.setBytes(3, AuditBatch.encode(batch));
                ps.executeUpdate();
            }
        }
    }

    /** A copy of {@code r} with one field changed, named as the column it was stored in before batches. */
    public static AuditRow with(AuditRow r, String field, Object value) {
        if (!java.util.Set.of("seq", "event_id", "username", "source_ip", "record_json", "prev_hash", "hash", "actor_arn")
                .contains(field)) {
            throw new IllegalArgumentException("no such field: " + field);
        }
        String s = value instanceof String v ? v : null;
        return new AuditRow(field.equals("seq") ? (Long) value : r.seq(), field.equals("event_id") ? s : r.eventId(),
                r.eventTime(), r.accountId(), r.region(), r.eventSource(), r.eventName(),
                field.equals("username") ? s : r.username(), r.accessKeyId(), r.readOnly(),
                field.equals("source_ip") ? s : r.sourceIp(), r.errorCode(), r.resource(),
                field.equals("record_json") ? s : r.recordJson(), field.equals("prev_hash") ? s : r.prevHash(),
                field.equals("hash") ? s : r.hash(), field.equals("actor_arn") ? s : r.actorArn());
    }
}
