package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The audit export sinks' cursors: per sink, the last event sequence number it confirmed. Cursors only move
 * forward, so when two nodes briefly both export a sink (a lease handover) the later, smaller confirmation
 * cannot move a cursor back. Cursor writes mark no {@link ChangeDomain}: they must not flush any cache.
 */
public final class AuditExportRepository {
    private final Connection c;

    AuditExportRepository(Connection c) {
        this.c = c;
    }

    /** The last sequence number {@code sink} confirmed, 0 when it never confirmed any. */
    public long cursor(String sink) throws SQLException {
        try (var ps = c.prepareStatement("SELECT last_seq FROM audit_export_cursors WHERE sink_name = ?")) {
            ps.setString(1, sink);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Moves {@code sink}'s cursor to {@code seq} (an event of {@code eventTime}) unless it is already there or beyond. */
    public void advance(String sink, long seq, long eventTime, long now) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE audit_export_cursors SET last_seq = ?, last_event_time = ?, updated_at = ? "
                + "WHERE sink_name = ? AND last_seq < ?")) {
            ps.setLong(1, seq);
            ps.setLong(2, eventTime);
            ps.setLong(3, now);
            ps.setString(4, sink);
            ps.setLong(5, seq);
            if (ps.executeUpdate() == 1) return;
        }
        try (var ps = c.prepareStatement("SELECT 1 FROM audit_export_cursors WHERE sink_name = ?")) {
            ps.setString(1, sink);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) return; // already at or beyond seq
            }
        }
        // The sink's first confirmation. Two nodes racing here: PostgreSQL's SERIALIZABLE unit runs the loser again.
        try (var ps = c.prepareStatement(
                "INSERT INTO audit_export_cursors (sink_name, last_seq, last_event_time, updated_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, sink);
            ps.setLong(2, seq);
            ps.setLong(3, eventTime);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    /** The time of the first event after {@code seq}, or -1 when there is none: how old the oldest unexported event is. */
    public long firstEventTimeAfter(long seq) throws SQLException {
        List<AuditRow> next = new AuditRepository(c).page(seq, 1, AuditBatch.NO_RECORDS); // its time only: the record stays undecoded
        return next.isEmpty() ? -1 : next.getFirst().eventTime();
    }
}
