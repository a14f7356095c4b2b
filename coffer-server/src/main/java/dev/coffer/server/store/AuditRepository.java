package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail's rows: events with their resources, the chain head and the signed digests. The
 * chain itself (hashing, ordering) is the audit package's; this is plain JDBC over portable SQL.
 * Audit writes mark no {@link ChangeDomain}: appending an event must not flush any cache.
 */
public final class AuditRepository {
    private static final String COLUMNS = "e.seq, e.event_id, e.event_time, e.account_id, e.region, e.event_source, "
            + "e.event_name, e.username, e.access_key_id, e.read_only, e.source_ip, e.error_code, e.record_json, "
            + "e.prev_hash, e.hash";

    private final Connection c;

    AuditRepository(Connection c) {
        this.c = c;
    }

    /**
     * Takes the chain head for this transaction and returns it; call it first in the unit. On PostgreSQL
     * the head's table is locked before the transaction's first query, so before its snapshot is taken
     * (LOCK TABLE takes none): appenders on every node queue for the head and each sees the one before it
     * committed, instead of all but one being aborted for a serialization failure and run again, which
     * under load could starve a write. On SQLite there is one writer anyway.
     */
    public AuditRow.ChainHead lockHead() throws SQLException {
        if (c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
            try (var st = c.createStatement()) {
                st.execute("LOCK TABLE audit_chain IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        return head();
    }

    public AuditRow.ChainHead head() throws SQLException {
        try (var ps = c.prepareStatement("SELECT last_seq, last_hash, last_time FROM audit_chain WHERE chain_id = 1");
             var rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("the audit chain head is missing");
            return new AuditRow.ChainHead(rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
    }

    /** Appends events (already chained onto {@code head}, in order) and moves the head to the last of them. */
    public void append(List<AuditRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (var events = c.prepareStatement("INSERT INTO audit_events (seq, event_id, event_time, account_id, region, "
                + "event_source, event_name, username, access_key_id, read_only, source_ip, error_code, record_json, prev_hash, "
                + "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             var resources = c.prepareStatement("INSERT INTO audit_event_resources (seq, position, account_id, event_time, "
                     + "resource_type, resource_name, shown) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            boolean anyResource = false;
            for (AuditRow r : rows) {
                events.setLong(1, r.seq());
                events.setString(2, r.eventId());
                events.setLong(3, r.eventTime());
                events.setString(4, r.accountId());
                setNullable(events, 5, r.region());
                setNullable(events, 6, r.eventSource());
                setNullable(events, 7, r.eventName());
                setNullable(events, 8, r.username());
                setNullable(events, 9, r.accessKeyId());
                events.setInt(10, r.readOnly() ? 1 : 0);
                setNullable(events, 11, r.sourceIp());
                setNullable(events, 12, r.errorCode());
                events.setString(13, r.recordJson());
                events.setString(14, r.prevHash());
                events.setString(15, r.hash());
                events.addBatch();
                int position = 0;
                for (AuditRow.Resource res : r.resources()) {
                    resources.setLong(1, r.seq());
                    resources.setInt(2, position++);
                    resources.setString(3, r.accountId());
                    resources.setLong(4, r.eventTime());
                    setNullable(resources, 5, res.type());
                    resources.setString(6, res.name());
                    resources.setInt(7, res.shown() ? 1 : 0);
                    resources.addBatch();
                    anyResource = true;
                }
            }
            events.executeBatch();
            if (anyResource) resources.executeBatch();
        }
        AuditRow last = rows.getLast();
        try (var ps = c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ?, last_time = ? WHERE chain_id = 1")) {
            ps.setLong(1, last.seq());
            ps.setString(2, last.hash());
            ps.setLong(3, last.eventTime());
            ps.executeUpdate();
        }
    }

    /** Events matching a query, newest first (by event time, then sequence), with their resources. */
    public List<AuditRow> lookup(AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        boolean byResource = q.attribute() == AuditQuery.Attribute.RESOURCE_NAME
                || q.attribute() == AuditQuery.Attribute.RESOURCE_TYPE;
        // The table whose index drives the scan: its (account, attribute, event_time, seq) order is the answer's.
        String t = byResource ? "r" : "e";
        if (byResource) {
            sql.append("SELECT ").append(COLUMNS).append(" FROM audit_event_resources r JOIN audit_events e ON e.seq = r.seq")
                    .append(" WHERE r.account_id = ? AND ")
                    .append(q.attribute() == AuditQuery.Attribute.RESOURCE_NAME ? "r.resource_name" : "r.resource_type")
                    .append(" = ?");
            args.add(q.accountId());
            args.add(q.value());
        } else {
            sql.append("SELECT ").append(COLUMNS).append(" FROM audit_events e WHERE e.account_id = ?");
            args.add(q.accountId());
            if (q.attribute() != null) {
                switch (q.attribute()) {
                    // Literal, not a parameter: only then can SQLite use the partial index of writes.
                    case READ_ONLY -> sql.append("true".equals(q.value()) ? " AND e.read_only = 1" : " AND e.read_only = 0");
                    case EVENT_ID -> sql.append(" AND e.event_id = ?");
                    case EVENT_NAME -> sql.append(" AND e.event_name = ?");
                    case EVENT_SOURCE -> sql.append(" AND e.event_source = ?");
                    case USERNAME -> sql.append(" AND e.username = ?");
                    case ACCESS_KEY_ID -> sql.append(" AND e.access_key_id = ?");
                    case SOURCE_IP -> sql.append(" AND e.source_ip = ?");
                    case ERROR_CODE -> sql.append(" AND e.error_code = ?");
                    default -> throw new IllegalArgumentException(q.attribute().name());
                }
                if (q.attribute() != AuditQuery.Attribute.READ_ONLY) args.add(q.value());
            }
        }
        if (q.region() != null) {
            sql.append(" AND e.region = ?");
            args.add(q.region());
        }
        if (q.startTime() != null) {
            sql.append(" AND ").append(t).append(".event_time >= ?");
            args.add(q.startTime());
        }
        if (q.endTime() != null) {
            sql.append(" AND ").append(t).append(".event_time <= ?");
            args.add(q.endTime());
        }
        if (q.afterTime() != null) {
            sql.append(" AND (").append(t).append(".event_time < ? OR (").append(t).append(".event_time = ? AND ")
                    .append(t).append(".seq < ?))");
            args.add(q.afterTime());
            args.add(q.afterTime());
            args.add(q.afterSeq());
        }
        sql.append(" ORDER BY ").append(t).append(".event_time DESC, ").append(t).append(".seq DESC LIMIT ?");
        args.add(q.limit());
        List<AuditRow> found = new ArrayList<>();
        try (var ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Long l) ps.setLong(i + 1, l);
                else if (a instanceof Integer n) ps.setInt(i + 1, n);
                else ps.setString(i + 1, (String) a);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) found.add(row(rs, List.of()));
            }
        }
        return withResources(found);
    }

    /** Up to {@code limit} events after {@code afterSeq}, in sequence order, with their resources: for the verifier. */
    public List<AuditRow> page(long afterSeq, int limit) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) rows.add(row(rs, List.of()));
            }
        }
        return withResources(rows);
    }

    /** The event whose stored hash is {@code hash}, if any (a full scan: the verifier asks only at a break). */
    public Optional<AuditRow> byHash(String hash) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.hash = ?")) {
            ps.setString(1, hash);
            ps.setMaxRows(1);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, List.of())) : Optional.empty();
            }
        }
    }

    public Optional<AuditRow> bySeq(long seq) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.seq = ?")) {
            ps.setLong(1, seq);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, List.of())) : Optional.empty();
            }
        }
    }

    public void insertDigest(AuditDigestRow d) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO audit_digests (digest_seq, created_at, first_seq, last_seq, last_hash, "
                + "event_count, start_time, end_time, previous_signature, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, d.digestSeq());
            ps.setLong(2, d.createdAt());
            ps.setLong(3, d.firstSeq());
            ps.setLong(4, d.lastSeq());
            ps.setString(5, d.lastHash());
            ps.setLong(6, d.eventCount());
            ps.setLong(7, d.startTime());
            ps.setLong(8, d.endTime());
            setNullable(ps, 9, d.previousSignature());
            ps.setString(10, d.keyId());
            ps.setString(11, d.signature());
            ps.executeUpdate();
        }
    }

    public Optional<AuditDigestRow> lastDigest() throws SQLException {
        try (var ps = c.prepareStatement(DIGEST_SELECT + " ORDER BY digest_seq DESC")) {
            ps.setMaxRows(1);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(digest(rs)) : Optional.empty();
            }
        }
    }

    public List<AuditDigestRow> digests() throws SQLException {
        List<AuditDigestRow> all = new ArrayList<>();
        try (var ps = c.prepareStatement(DIGEST_SELECT + " ORDER BY digest_seq"); var rs = ps.executeQuery()) {
            while (rs.next()) all.add(digest(rs));
        }
        return all;
    }

    private static final String DIGEST_SELECT = "SELECT digest_seq, created_at, first_seq, last_seq, last_hash, event_count, "
            + "start_time, end_time, previous_signature, key_id, signature FROM audit_digests";

    private static AuditDigestRow digest(ResultSet rs) throws SQLException {
        return new AuditDigestRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    private List<AuditRow> withResources(List<AuditRow> rows) throws SQLException {
        if (rows.isEmpty()) return rows;
        Map<Long, List<AuditRow.Resource>> bySeq = new LinkedHashMap<>();
        StringBuilder in = new StringBuilder();
        for (AuditRow r : rows) {
            if (!in.isEmpty()) in.append(',');
            in.append('?');
            bySeq.put(r.seq(), new ArrayList<>());
        }
        try (var ps = c.prepareStatement("SELECT seq, resource_type, resource_name, shown FROM audit_event_resources WHERE seq IN ("
                + in + ") ORDER BY seq, position")) {
            int i = 1;
            for (AuditRow r : rows) ps.setLong(i++, r.seq());
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySeq.get(rs.getLong(1)).add(new AuditRow.Resource(rs.getString(2), rs.getString(3), rs.getInt(4) == 1));
                }
            }
        }
        List<AuditRow> out = new ArrayList<>(rows.size());
        for (AuditRow r : rows) {
            out.add(new AuditRow(r.seq(), r.eventId(), r.eventTime(), r.accountId(), r.region(), r.eventSource(), r.eventName(),
                    r.username(), r.accessKeyId(), r.readOnly(), r.sourceIp(), r.errorCode(), r.recordJson(), r.prevHash(),
                    r.hash(), bySeq.get(r.seq())));
        }
        return out;
    }

    private static AuditRow row(ResultSet rs, List<AuditRow.Resource> resources) throws SQLException {
        return new AuditRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10) == 1, rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14), rs.getString(15), resources);
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, value);
    }
}
