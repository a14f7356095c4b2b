package dev.coffer.server.audit;

import dev.coffer.crypto.Hashing;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Transaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain of the audit trail. Each event's hash is SHA-256 over the previous event's hash and the
 * event's record (its JSON, exactly as stored), and the chain head (last sequence number and hash) moves
 * in the transaction that appends: so every appender — the group committer, a write's own transaction,
 * another node on the same PostgreSQL database — continues the one chain, in sequence order, and an
 * event that is edited, removed, inserted or moved no longer links ({@link ChainVerifier}).
 */
public final class AuditChain {
    public static final String GENESIS = dev.coffer.server.store.AuditRepository.GENESIS_HASH;
    private static final HexFormat HEX = HexFormat.of();

    /** The hash of an event given its predecessor's hash and its record. */
    public static String hash(String previousHash, String recordJson) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(HEX.parseHex(previousHash));
            sha.update(recordJson.getBytes(StandardCharsets.UTF_8));
            return Hashing.hex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** Takes the chain head for this unit of work; call first, before the unit's other writes. */
    AuditRow.ChainHead lock(Transaction tx) throws SQLException {
        return tx.audit().lockHead();
    }

    /**
     * An event made ready to append: its record written and its row's columns (the indexed copies of its fields) taken,
     * all but its place in the chain. These are the costliest part of appending, and the group commit makes them on the
     * caller's thread, before queueing, to keep them off the store's one writer that every append waits for. (A write's
     * own event depends on the write's result, so it is made inside the unit.)
     */
    record Written(AuditRow unchained) {
        static Written of(CloudTrailEvent event) {
            return new Written(columns(event, event.toJson()));
        }
    }

    /** Appends events after {@code head} (taken with {@link #lock} in this transaction), in order. */
    void append(Transaction tx, AuditRow.ChainHead head, List<Written> events) throws SQLException {
        List<AuditRow> rows = new ArrayList<>(events.size());
        long seq = head.lastSeq();
        String previous = head.lastHash();
        for (Written e : events) {
            AuditRow row = chained(e.unchained(), ++seq, previous);
            rows.add(row);
            previous = row.hash();
        }
        tx.audit().append(rows);
    }

    /**
     * The row an event is stored as, but for its seq and hashes (0 and null); the indexed copies are cut to their
     * columns' sizes (the record keeps all).
     */
    static AuditRow columns(CloudTrailEvent e, String json) {
        CloudTrailEvent.Resource r = e.resources().isEmpty() ? null : e.resources().getFirst();
        String owner = r == null || r.accountId() == null || r.accountId().equals(e.recipientAccountId()) ? null
                : cut(r.accountId(), 32);
        AuditRow.Resource resource = r == null ? null : new AuditRow.Resource(cut(r.type(), 128), cut(r.arn(), 2048),
                cut(r.alias() != null ? r.alias() : r.arn(), 2048), owner);
        return new AuditRow(0, e.eventId(), e.eventTime().toEpochMilli(), e.recipientAccountId(), cut(e.region(), 64),
                cut(e.eventSource(), 128), cut(e.eventName(), 128), cut(e.username(), 256), cut(e.accessKeyId(), 128),
                e.readOnly(), cut(e.sourceIp(), 128), cut(e.errorCode(), 128), resource, json, null, null,
                cut(UserIdentity.actorArn(e.principal()), 2048));
    }

    /** The row of {@link #columns} given its place in the chain: its seq, its predecessor's hash, and so its own. */
    static AuditRow chained(AuditRow c, long seq, String previousHash) {
        return new AuditRow(seq, c.eventId(), c.eventTime(), c.accountId(), c.region(), c.eventSource(), c.eventName(),
                c.username(), c.accessKeyId(), c.readOnly(), c.sourceIp(), c.errorCode(), c.resource(), c.recordJson(),
                previousHash, hash(previousHash, c.recordJson()), c.actorArn());
    }

    /**
     * The indexed copy of a record's field: cut to its column's size, and with NUL — which a caller can put in
     * a malformed request, and which PostgreSQL text cannot hold — as U+FFFD. The record keeps the field as sent
     * (JSON escapes it), and the verifier derives the copies the same way.
     */
    static String cut(String s, int max) {
        if (s == null) return null;
        String storable = s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
        return storable.length() <= max ? storable : storable.substring(0, max);
    }
}
