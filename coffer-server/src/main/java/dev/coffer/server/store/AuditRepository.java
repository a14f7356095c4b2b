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
import java.util.function.Predicate;

/**
 * The audit trail's rows: events, the chain head, the lookup index and the signed digests. The chain
 * itself (hashing, ordering) is the audit package's; this is plain JDBC over portable SQL. Audit writes
 * mark no {@link ChangeDomain}: appending an event must not flush any cache.
 */
public final class AuditRepository {
    /** The hash the first event chains onto. */
    public static final String GENESIS_HASH = "0".repeat(64);

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

    /**
     * Appends events (already chained onto the head, in order) and moves the head to the last of them. They are stored
     * as batch rows of up to {@link AuditBatch#MAX_EVENTS} events each: one row per group commit, not one per event.
     */
    public void append(List<AuditRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        insertBatches(rows);
        moveHead(rows.getLast());
    }

    /** Stores events (in seq order) as batch rows, without moving the head. */
    void insertBatches(List<AuditRow> rows) throws SQLException {
        try (var batches = c.prepareStatement("INSERT INTO audit_batches (first_seq, last_seq, events) VALUES (?, ?, ?)")) {
            for (int from = 0; from < rows.size(); from += AuditBatch.MAX_EVENTS) {
                List<AuditRow> batch = rows.subList(from, Math.min(rows.size(), from + AuditBatch.MAX_EVENTS));
                batches.setLong(1, batch.getFirst().seq());
                batches.setLong(2, batch.getLast().seq());
                batches.setBytes(3, AuditBatch.encode(batch));
                batches.addBatch();
            }
            batches.executeBatch();
        }
    }

    private void moveHead(AuditRow last) throws SQLException {
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

    /**
     * Enters events (in sequence order, after the index's watermark) into the lookup index and moves the watermark.
     * The events are cut into blocks of {@code blockSize} consecutive events, and each value a block holds gets one
     * entry: the first and last of its events in the block. So the index grows with the number of distinct values per
     * block, not with the number of events (V9__audit_lookup_runs.sql).
     */
    public void index(List<AuditRow> rows, int blockSize) throws SQLException {
        if (rows.isEmpty()) return;
        List<Entry> entries = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += blockSize) {
            entries.addAll(entriesOfBlock(rows.subList(from, Math.min(rows.size(), from + blockSize))));
        }
        // In key order: each leaf page of the index is visited once per batch.
        java.util.Collections.sort(entries);
        try (var ps = c.prepareStatement("INSERT INTO audit_lookup (account_id, attribute, lookup_value, last_time, first_seq, "
                + "last_seq, first_time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setString(1, e.account);
                ps.setInt(2, e.attribute);
                ps.setString(3, e.value);
                ps.setLong(4, e.lastTime);
                ps.setLong(5, e.firstSeq);
                ps.setLong(6, e.lastSeq);
                ps.setLong(7, e.firstTime);
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

    /** One block's entries: per (account, attribute, value), the first and last event holding it. */
    private static List<Entry> entriesOfBlock(List<AuditRow> block) {
        java.util.Map<Entry, Entry> runs = new java.util.HashMap<>();
        for (AuditRow r : block) {
            String other = r.resource() == null ? null : r.resource().otherAccount();
            enter(runs, r, r.accountId());
            if (other != null) enter(runs, r, other);
        }
        return new ArrayList<>(runs.values());
    }

    private static final AuditQuery.Attribute[] ENTERED = {AuditQuery.Attribute.EVENT_NAME, AuditQuery.Attribute.USERNAME,
            AuditQuery.Attribute.ACCESS_KEY_ID, AuditQuery.Attribute.SOURCE_IP, AuditQuery.Attribute.ERROR_CODE,
            AuditQuery.Attribute.RESOURCE_NAME, AuditQuery.Attribute.READ_ONLY};

    private static void enter(java.util.Map<Entry, Entry> runs, AuditRow r, String account) {
        String[] values = {r.eventName(), r.username(), r.accessKeyId(), r.sourceIp(), r.errorCode(),
                r.resource() == null ? null : r.resource().name(), r.readOnly() ? null : "false"};
        extend(runs, new Entry(account, ALL_EVENTS, ""), r);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) extend(runs, new Entry(account, ENTERED[i].code, cut(values[i])), r);
        }
    }

    private static void extend(java.util.Map<Entry, Entry> runs, Entry key, AuditRow r) {
        Entry run = runs.computeIfAbsent(key, k -> k);
        run.firstSeq = Math.min(run.firstSeq, r.seq());
        run.lastSeq = Math.max(run.lastSeq, r.seq());
        run.firstTime = Math.min(run.firstTime, r.eventTime());
        run.lastTime = Math.max(run.lastTime, r.eventTime());
    }

    /** An index entry: a value (its key: account, attribute, value) and the run of events in a block that hold it. */
    private static final class Entry implements Comparable<Entry> {
        final String account;
        final int attribute;
        final String value;
        long firstSeq = Long.MAX_VALUE;
        long lastSeq = Long.MIN_VALUE;
        long firstTime = Long.MAX_VALUE;
        long lastTime = Long.MIN_VALUE;

        Entry(String account, int attribute, String value) {
            this.account = account;
            this.attribute = attribute;
            this.value = value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.attribute == attribute && e.account.equals(account) && e.value.equals(value);
        }

        @Override
        public int hashCode() {
            return (account.hashCode() * 31 + attribute) * 31 + value.hashCode();
        }

        @Override
        public int compareTo(Entry o) {
            int c = account.compareTo(o.account);
            if (c == 0) c = Integer.compare(attribute, o.attribute);
            if (c == 0) c = value.compareTo(o.value);
            if (c == 0) c = Long.compare(lastTime, o.lastTime);
            return c != 0 ? c : Long.compare(firstSeq, o.firstSeq);
        }
    }

    /** Up to {@code limit} events after {@code afterSeq}, without their records: what the indexer needs. */
    public List<AuditRow> pageToIndex(long afterSeq, int limit) throws SQLException {
        return page(afterSeq, limit, AuditBatch.NO_RECORDS);
    }

    /**
     * Events matching a query, newest first (by event time, then sequence): from the lookup index up to its
     * watermark, and from a scan of the few events after it, merged. Call in one read unit, so both parts
     * see the same watermark.
     */
    public List<AuditRow> lookup(AuditQuery q) throws SQLException {
        long watermark = indexedUpTo();
        Predicate<AuditRow> matches = matcher(q);
        List<AuditRow> found = indexed(q, matches);
        found.addAll(events(matches, watermark + 1, Long.MAX_VALUE, q.limit()));
        return newestFirst(found, q.limit());
    }

    private static final Comparator<AuditRow> NEWEST_FIRST =
            Comparator.comparingLong(AuditRow::eventTime).thenComparingLong(AuditRow::seq).reversed();

    private static List<AuditRow> newestFirst(List<AuditRow> rows, int limit) {
        rows.sort(NEWEST_FIRST);
        return rows.size() > limit ? new ArrayList<>(rows.subList(0, limit)) : rows;
    }

    /** How many entries a lookup reads at a time. */
    private static final int ENTRY_PAGE = 64;

    /**
     * The indexed events matching the query: entries newest first (by their last event's time), each entry's
     * seq range searched for the events that match, until no entry left can hold an event newer than the
     * {@code limit}-th found so far.
     */
    private List<AuditRow> indexed(AuditQuery q, Predicate<AuditRow> matches) throws SQLException {
        AuditQuery.Attribute a = q.attribute();
        boolean readsOnly = a == AuditQuery.Attribute.READ_ONLY && "true".equals(q.value());
        boolean byEntry = a != null && !readsOnly && indexed(a);
        StringBuilder sql = new StringBuilder("SELECT first_seq, last_seq, last_time FROM audit_lookup WHERE account_id = ? "
                + "AND attribute = ? AND lookup_value = ?");
        List<Object> args = new ArrayList<>(List.of(q.accountId(), byEntry ? a.code : ALL_EVENTS, byEntry ? cut(q.value()) : ""));
        and(sql, args, "last_time >= ?", q.startTime());
        and(sql, args, "first_time <= ?", q.endTime());
        and(sql, args, "first_time <= ?", q.afterTime());
        String firstPage = sql + " ORDER BY last_time DESC, first_seq DESC LIMIT " + ENTRY_PAGE;
        String nextPage = sql + " AND (last_time < ? OR (last_time = ? AND first_seq < ?)) ORDER BY last_time DESC, "
                + "first_seq DESC LIMIT " + ENTRY_PAGE;
        List<AuditRow> found = new ArrayList<>();
        try (var first = c.prepareStatement(firstPage); var next = c.prepareStatement(nextPage)) {
            bind(first, args);
            PreparedStatement entries = first;
            while (true) {
                long lastTime = 0;
                long firstSeq = 0;
                int read = 0;
                try (var rs = entries.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        firstSeq = rs.getLong(1);
                        lastTime = rs.getLong(3);
                        // Entries come newest first: once the limit-th event found is newer than all this entry
                        // holds, no later entry can change the answer.
                        if (found.size() >= q.limit() && lastTime < found.get(q.limit() - 1).eventTime()) return found;
                        found.addAll(events(matches, firstSeq, rs.getLong(2), q.limit()));
                        found = newestFirst(found, q.limit());
                    }
                }
                if (read < ENTRY_PAGE) return found;
                List<Object> after = new ArrayList<>(args);
                after.addAll(List.of(lastTime, lastTime, firstSeq));
                bind(next, after);
                entries = next;
            }
        }
    }

    /** The newest {@code limit} events with {@code from <= seq <= to} that match, newest first. */
    private List<AuditRow> events(Predicate<AuditRow> matches, long from, long to, int limit) throws SQLException {
        List<AuditRow> found = new ArrayList<>();
        range(from, to, matches, AuditBatch.ALL_RECORDS, r -> {
            found.add(r);
            // A long range (the unindexed tail after an upgrade) keeps only what can still be among the newest.
            if (found.size() >= 4 * limit) {
                found.sort(NEWEST_FIRST);
                found.subList(limit, found.size()).clear();
            }
            return true;
        });
        return newestFirst(found, limit);
    }

    /** What a lookup asks of an event, judged on its columns (the record is decoded only for events that match). */
    private static Predicate<AuditRow> matcher(AuditQuery q) {
        String account = q.accountId();
        AuditQuery.Attribute a = q.attribute();
        return r -> (account.equals(r.accountId()) || r.resource() != null && account.equals(r.resource().otherAccount()))
                && (a == null || q.value().equals(a.of(r)))
                && (q.resourceArn() == null || r.resource() != null && q.resourceArn().equals(r.resource().arn()))
                && (q.region() == null || q.region().equals(r.region()))
                && (q.startTime() == null || r.eventTime() >= q.startTime())
                && (q.endTime() == null || r.eventTime() <= q.endTime())
                && (q.afterTime() == null || r.eventTime() < q.afterTime()
                        || r.eventTime() == q.afterTime() && r.seq() < q.afterSeq());
    }

    /** How many batch rows a range read fetches at a time (PostgreSQL's driver would otherwise fetch every one). */
    private static final int BATCH_PAGE = 16;

    /**
     * Reads the events with {@code from <= seq <= to} in stored (seq) order, from the batches that hold them, and hands
     * those {@code keep} accepts (judged without their record) to {@code sink}, with their record if {@code withRecord}
     * asks for it (judged the same way), until the sink returns false.
     */
    private void range(long from, long to, Predicate<AuditRow> keep, Predicate<AuditRow> withRecord, Predicate<AuditRow> sink)
            throws SQLException {
        // A batch holds at most MAX_EVENTS consecutive events: the one holding `from` starts at most that far before it.
        long after = from - AuditBatch.MAX_EVENTS;
        try (var ps = c.prepareStatement("SELECT first_seq, events, last_seq FROM audit_batches WHERE first_seq > ? AND "
                + "first_seq <= ? AND last_seq >= ? ORDER BY first_seq LIMIT " + BATCH_PAGE)) {
            ps.setLong(2, to);
            ps.setLong(3, from);
            while (true) {
                ps.setLong(1, after);
                int read = 0;
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        after = rs.getLong(1);
                        List<AuditRow> events;
                        try {
                            events = AuditBatch.decode(rs.getBytes(2), from, to, keep, withRecord);
                        } catch (StoreException damaged) {
                            throw new StoreException("the stored batch of audit events " + after + ".." + rs.getLong(3)
                                    + " cannot be read (" + damaged.getMessage() + ")", damaged);
                        }
                        for (AuditRow r : events) {
                            if (!sink.test(r)) return;
                        }
                    }
                }
                if (read < BATCH_PAGE) return;
            }
        }
    }

    /** Adds {@code AND condition} with its one parameter, when there is a value to compare with. */
    private static void and(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value == null) return;
        sql.append(" AND ").append(condition);
        args.add(value);
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof Long l) ps.setLong(i + 1, l);
            else if (arg instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, (String) arg);
        }
    }

    /** Up to {@code limit} events after {@code afterSeq}, in sequence order: for the verifier, the exports and the alerts. */
    public List<AuditRow> page(long afterSeq, int limit) throws SQLException {
        return page(afterSeq, limit, AuditBatch.ALL_RECORDS);
    }

    /**
     * Up to {@code limit} events after {@code afterSeq}, in sequence order, with their records only where
     * {@code withRecord} (judged on the other columns) asks for them: a record is most of an event's bytes, and a
     * reader that needs few of them should not decode them all.
     */
    public List<AuditRow> page(long afterSeq, int limit, Predicate<AuditRow> withRecord) throws SQLException {
        List<AuditRow> rows = new ArrayList<>(Math.min(limit, 8_192));
        range(afterSeq + 1, Long.MAX_VALUE, r -> true, withRecord, r -> rows.add(r) && rows.size() < limit);
        return rows;
    }

    /** The event whose stored hash is {@code hash}, if any (a full scan: the verifier asks only at a break). */
    public Optional<AuditRow> byHash(String hash) throws SQLException {
        return first(0, Long.MAX_VALUE, r -> hash.equals(r.hash()));
    }

    public Optional<AuditRow> bySeq(long seq) throws SQLException {
        return first(seq, seq, r -> true);
    }

    /** The first event in the seq range that {@code keep} accepts, with its record. */
    private Optional<AuditRow> first(long from, long to, Predicate<AuditRow> keep) throws SQLException {
        List<AuditRow> found = new ArrayList<>(1);
        range(from, to, keep, AuditBatch.ALL_RECORDS, r -> !found.add(r));
        return found.stream().findFirst();
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

    private static String cut(String value) {
        return value.length() <= VALUE_MAX ? value : value.substring(0, VALUE_MAX);
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, value);
    }
}
