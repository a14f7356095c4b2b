package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail's rows: events, the chain head, the lookup index and the signed digests. The chain
 * itself (hashing, ordering) is the audit package's; this is plain JDBC over portable SQL. Audit writes
 * mark no {@link ChangeDomain}: appending an event must not flush any cache.
 */
public final class AuditRepository {
    /** The hash the first event chains onto. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final String COLUMNS = "e.seq, e.event_id, e.event_time, e.account_id, e.region, e.event_source, "
            + "e.event_name, e.username, e.access_key_id, e.read_only, e.source_ip, e.error_code, e.resource_type, "
            + "e.resource_arn, e.resource_name, e.resource_account, e.record_json, e.prev_hash, e.hash";
    /** The lookup index's pseudo-attribute under which every event is entered, for lookups by time alone. */
    private static final int ALL_EVENTS = 0;
    /** Lookup values are cut to the index column's size; longer values match by their first 512 characters. */
    private static final int VALUE_MAX = 512;

    private final Connection c;

    AuditRepository(Connection c) {
        this.c = c;
    }

    private boolean postgres() throws SQLException {
        return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    }

    /**
     * Takes the chain head for this transaction and returns it; call it first in the unit. On PostgreSQL
     * the head's table is locked before the transaction's first query, so before its snapshot is taken
     * (LOCK TABLE takes none): appenders on every node queue for the head and each sees the one before it
     * committed, instead of all but one being aborted for a serialization failure and run again, which
     * under load could starve a write. On SQLite there is one writer anyway.
     */
    public AuditRow.ChainHead lockHead() throws SQLException {
        if (postgres()) {
            try (var st = c.createStatement()) {
                st.execute("LOCK TABLE audit_chain IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        return head();
    }

    public AuditRow.ChainHead head() throws SQLException {
        try (var ps = c.prepareStatement("SELECT last_seq, last_hash, last_time FROM audit_chain WHERE chain_id = 1");
             var rs = ps.executeQuery()) {
            // No row yet: the chain is empty and starts from the genesis hash. (Migrations seed no rows, so a
            // database that was only migrated is empty, and a restore can load a whole store into it.)
            if (!rs.next()) return new AuditRow.ChainHead(0, GENESIS_HASH, 0);
            return new AuditRow.ChainHead(rs.getLong(1), rs.getString(2), rs.getLong(3));
        }
    }

    /** Appends events (already chained onto the head, in order) and moves the head to the last of them. */
    public void append(List<AuditRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (var events = c.prepareStatement("INSERT INTO audit_events (seq, event_id, event_time, account_id, region, "
                + "event_source, event_name, username, access_key_id, read_only, source_ip, error_code, resource_type, "
                + "resource_arn, resource_name, resource_account, record_json, prev_hash, hash) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                setNullable(events, 13, r.resource() == null ? null : r.resource().type());
                setNullable(events, 14, r.resource() == null ? null : r.resource().arn());
                setNullable(events, 15, r.resource() == null ? null : r.resource().name());
                setNullable(events, 16, r.resource() == null ? null : r.resource().otherAccount());
                events.setString(17, r.recordJson());
                events.setString(18, r.prevHash());
                events.setString(19, r.hash());
                events.addBatch();
            }
            events.executeBatch();
        }
        AuditRow last = rows.getLast();
        try (var ps = c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ?, last_time = ? WHERE chain_id = 1")) {
            ps.setLong(1, last.seq());
            ps.setString(2, last.hash());
            ps.setLong(3, last.eventTime());
            if (ps.executeUpdate() == 1) return;
        }
        // The first append (appenders hold the head's lock, so no other can be inserting it too).
        try (var ps = c.prepareStatement("INSERT INTO audit_chain (chain_id, last_seq, last_hash, last_time) VALUES (1, ?, ?, ?)")) {
            ps.setLong(1, last.seq());
            ps.setString(2, last.hash());
            ps.setLong(3, last.eventTime());
            ps.executeUpdate();
        }
    }

    /** The last sequence number the lookup index covers, taken for this unit (the indexer's turn, on every node). */
    public long lockIndexedUpTo() throws SQLException {
        if (postgres()) {
            try (var st = c.createStatement()) {
                st.execute("LOCK TABLE audit_index_state IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        return indexedUpTo();
    }

    public long indexedUpTo() throws SQLException {
        try (var ps = c.prepareStatement("SELECT indexed_upto FROM audit_index_state WHERE state_id = 1");
             var rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0; // nothing indexed yet
        }
    }

    /**
     * The attributes the lookup index holds entries for. The others are found through the every-event entries
     * and the event's own column: event ids are time-ordered (their time bounds the scan to one millisecond),
     * and event sources and resource types have few values, so each of their values is a large share of events.
     */
    static boolean indexed(AuditQuery.Attribute a) {
        return switch (a) {
            case EVENT_NAME, USERNAME, ACCESS_KEY_ID, READ_ONLY, RESOURCE_NAME, SOURCE_IP, ERROR_CODE -> true;
            case EVENT_ID, EVENT_SOURCE, RESOURCE_TYPE -> false;
        };
    }

    /** Enters events (in sequence order, after the index's watermark) into the lookup index and moves the watermark. */
    public void index(List<AuditRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        record Entry(String account, int attribute, String value, long time, long seq) implements Comparable<Entry> {
            @Override
            public int compareTo(Entry o) {
                int c = account.compareTo(o.account);
                if (c == 0) c = Integer.compare(attribute, o.attribute);
                if (c == 0) c = value.compareTo(o.value);
                if (c == 0) c = Long.compare(time, o.time);
                return c != 0 ? c : Long.compare(seq, o.seq);
            }
        }
        List<Entry> entries = new ArrayList<>(rows.size() * 6);
        AuditQuery.Attribute[] attributes = {AuditQuery.Attribute.EVENT_NAME, AuditQuery.Attribute.USERNAME,
                AuditQuery.Attribute.ACCESS_KEY_ID, AuditQuery.Attribute.SOURCE_IP, AuditQuery.Attribute.ERROR_CODE,
                AuditQuery.Attribute.RESOURCE_NAME, AuditQuery.Attribute.READ_ONLY};
        for (AuditRow r : rows) {
            String[] values = {r.eventName(), r.username(), r.accessKeyId(), r.sourceIp(), r.errorCode(),
                    r.resource() == null ? null : r.resource().name(), r.readOnly() ? null : "false"};
            String other = r.resource() == null ? null : r.resource().otherAccount();
            for (String account : other == null ? new String[] {r.accountId()} : new String[] {r.accountId(), other}) {
                entries.add(new Entry(account, ALL_EVENTS, "", r.eventTime(), r.seq()));
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != null) entries.add(new Entry(account, attributes[i].code, cut(values[i]), r.eventTime(), r.seq()));
                }
            }
        }
        // In key order: each leaf page of the index is visited once per batch.
        java.util.Collections.sort(entries);
        try (var ps = c.prepareStatement("INSERT INTO audit_lookup (account_id, attribute, lookup_value, event_time, seq) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setString(1, e.account());
                ps.setInt(2, e.attribute());
                ps.setString(3, e.value());
                ps.setLong(4, e.time());
                ps.setLong(5, e.seq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (var ps = c.prepareStatement("UPDATE audit_index_state SET indexed_upto = ? WHERE state_id = 1")) {
            ps.setLong(1, rows.getLast().seq());
            if (ps.executeUpdate() == 1) return;
        }
        try (var ps = c.prepareStatement("INSERT INTO audit_index_state (state_id, indexed_upto) VALUES (1, ?)")) {
            ps.setLong(1, rows.getLast().seq());
            ps.executeUpdate();
        }
    }

    /** Up to {@code limit} events after {@code afterSeq}, without their records: what the indexer needs. */
    public List<AuditRow> pageToIndex(long afterSeq, int limit) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT seq, account_id, event_time, event_name, username, access_key_id, "
                + "source_ip, error_code, resource_name, read_only, resource_account FROM audit_events WHERE seq > ? "
                + "ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(9);
                    rows.add(new AuditRow(rs.getLong(1), null, rs.getLong(3), rs.getString(2), null, null, rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(10) == 1, rs.getString(7), rs.getString(8),
                            name == null ? null : new AuditRow.Resource(null, null, name, rs.getString(11)), null, null, null));
                }
            }
        }
        return rows;
    }

    /**
     * Events matching a query, newest first (by event time, then sequence): from the lookup index up to its
     * watermark, and from a scan of the few events after it, merged. Call in one read unit, so both parts
     * see the same watermark.
     */
    public List<AuditRow> lookup(AuditQuery q) throws SQLException {
        long watermark = indexedUpTo();
        List<AuditRow> found = new ArrayList<>(query(q, true, watermark));
        found.addAll(query(q, false, watermark));
        found.sort(Comparator.comparingLong(AuditRow::eventTime).thenComparingLong(AuditRow::seq).reversed());
        return found.size() > q.limit() ? found.subList(0, q.limit()) : found;
    }

    private List<AuditRow> query(AuditQuery q, boolean indexed, long watermark) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS);
        List<Object> args = new ArrayList<>();
        AuditQuery.Attribute a = q.attribute();
        boolean readsOnly = a == AuditQuery.Attribute.READ_ONLY && "true".equals(q.value());
        boolean byEntry = a != null && !readsOnly && indexed(a);
        String t; // the table whose (event_time, seq) orders the answer
        if (indexed) {
            t = "l";
            sql.append(" FROM audit_lookup l JOIN audit_events e ON e.seq = l.seq WHERE l.account_id = ? AND l.attribute = ? "
                    + "AND l.lookup_value = ? AND l.seq <= ?");
            args.add(q.accountId());
            if (!byEntry) {
                args.add(ALL_EVENTS);
                args.add("");
            } else {
                args.add(a.code);
                args.add(cut(q.value()));
            }
            args.add(watermark);
        } else {
            t = "e";
            sql.append(" FROM audit_events e WHERE e.seq > ? AND (e.account_id = ? OR e.resource_account = ?)");
            args.add(watermark);
            args.add(q.accountId());
            args.add(q.accountId());
            if (a == AuditQuery.Attribute.READ_ONLY) {
                sql.append(readsOnly ? "" : " AND e.read_only = 0");
            } else if (a != null) {
                sql.append(" AND e.").append(a.column).append(" = ?");
                args.add(q.value());
            }
        }
        if (readsOnly) sql.append(" AND e.read_only = 1");
        if (indexed && a != null && a != AuditQuery.Attribute.READ_ONLY) {
            // Entries hold values cut to 512 characters, and some attributes have none: the event's column decides.
            sql.append(" AND e.").append(a.column).append(" = ?");
            args.add(q.value());
        }
        if (q.resourceArn() != null) {
            sql.append(" AND e.resource_arn = ?");
            args.add(q.resourceArn());
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
                Object arg = args.get(i);
                if (arg instanceof Long l) ps.setLong(i + 1, l);
                else if (arg instanceof Integer n) ps.setInt(i + 1, n);
                else ps.setString(i + 1, (String) arg);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) found.add(row(rs));
            }
        }
        return found;
    }

    /** Up to {@code limit} events after {@code afterSeq}, in sequence order: for the verifier and the indexer. */
    public List<AuditRow> page(long afterSeq, int limit) throws SQLException {
        List<AuditRow> rows = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) rows.add(row(rs));
            }
        }
        return rows;
    }

    /** The event whose stored hash is {@code hash}, if any (a full scan: the verifier asks only at a break). */
    public Optional<AuditRow> byHash(String hash) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.hash = ?")) {
            ps.setString(1, hash);
            ps.setMaxRows(1);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public Optional<AuditRow> bySeq(long seq) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events e WHERE e.seq = ?")) {
            ps.setLong(1, seq);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
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

    private static AuditRow row(ResultSet rs) throws SQLException {
        String arn = rs.getString(14);
        AuditRow.Resource resource = arn == null ? null
                : new AuditRow.Resource(rs.getString(13), arn, rs.getString(15), rs.getString(16));
        return new AuditRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10) == 1, rs.getString(11), rs.getString(12),
                resource, rs.getString(17), rs.getString(18), rs.getString(19));
    }

    private static String cut(String value) {
        return value.length() <= VALUE_MAX ? value : value.substring(0, VALUE_MAX);
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, value);
    }
}
