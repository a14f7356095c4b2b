package dev.coffer.server.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * How the events of one append are stored: one row of {@code audit_batches} holds them all, every field of every
 * {@link AuditRow} (its seq too), compressed together (LZ4). Events of one batch share most of their bytes (identity,
 * user agent, ARNs, field names), so a GetSecretValue event of about 1.5 KB takes about 150 bytes, and a group commit of
 * 64 reads is one row, not 64: what made a durable event per read cost more than the rest of the read was the bytes
 * and row operations of storing it one by one (V10__audit_batches.sql, BENCHMARKS.md).
 *
 * <p>Layout: a version byte, the uncompressed length and its CRC-32C (ints), then the LZ4 block of: the event count (int)
 * and, per event, its seq and time (longs), read-only flag (byte) and its text fields, each an int length (-1 for
 * null) and UTF-8 bytes. The checksum tells damage from data; it is no defence against tampering, which the verifier
 * catches by checking each decoded event against the hash chain, as it would a row.
 */
public final class AuditBatch {
    /**
     * The most events one batch row holds: readers find the batch holding a seq among those that start this far before
     * it, and a lookup that wants one event decodes its whole batch (128 read events: ~200 KB, well under a millisecond;
     * 1,024 made a lookup by secret over 10 million events take 34 ms). A group commit is rarely larger.
     */
    public static final int MAX_EVENTS = 128;
    private static final byte VERSION = 1;
    /** Version, length, checksum. */
    private static final int HEADER = 9;
    /**
     * LZ4 (native where it loads, else its pure-Java form): on audit records about 8x, at about 0.25 µs per event to
     * compress and 0.04 to decompress; deflate's fastest level packs a third tighter but took five times as long one
     * way and fifteen times the other (BENCHMARKS.md).
     */
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor UNLZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    private AuditBatch() {}

    /** The stored form of rows (at most {@link #MAX_EVENTS}, in seq order). */
    public static byte[] encode(List<AuditRow> rows) {
        if (rows.isEmpty() || rows.size() > MAX_EVENTS) throw new IllegalArgumentException("a batch holds 1 to " + MAX_EVENTS + " events");
        // Every text field is encoded once and the plain form written into an array of its exact size: this runs on the
        // store's one writer for every event appended, where stream plumbing cost as much as the compression.
        byte[][] texts = new byte[rows.size() * TEXTS][];
        int size = Integer.BYTES;
        for (int i = 0; i < rows.size(); i++) size += FIXED + texts(rows.get(i), texts, i * TEXTS);
        ByteBuffer plain = ByteBuffer.allocate(size).putInt(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            AuditRow r = rows.get(i);
            plain.putLong(r.seq()).putLong(r.eventTime()).put((byte) (r.readOnly() ? 1 : 0));
            for (int t = i * TEXTS; t < (i + 1) * TEXTS; t++) {
                if (texts[t] == null) {
                    plain.putInt(-1);
                } else {
                    plain.putInt(texts[t].length).put(texts[t]);
                }
            }
        }
        byte[] stored = new byte[HEADER + LZ4.maxCompressedLength(size)];
        ByteBuffer header = ByteBuffer.wrap(stored, 0, HEADER);
        header.put(VERSION).putInt(size).putInt(crc(plain.array(), size));
        int length = LZ4.compress(plain.array(), 0, size, stored, HEADER, stored.length - HEADER);
        return Arrays.copyOf(stored, HEADER + length);
    }

    /** Text fields per event: all but seq, time and the read-only flag. */
    private static final int TEXTS = 17;
    /** Seq, time, read-only flag, and a length per text field. */
    private static final int FIXED = Long.BYTES * 2 + 1 + TEXTS * Integer.BYTES;

    /** Tells damage from data; no defence against tampering (the verifier's hash chain is). */
    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /** Puts a row's text fields, UTF-8, into {@code into} from {@code at}, in stored order; returns their total length. */
    private static int texts(AuditRow r, byte[][] into, int at) {
        AuditRow.Resource res = r.resource();
        String[] fields = {r.eventId(), r.accountId(), r.region(), r.eventSource(), r.eventName(), r.username(),
                r.accessKeyId(), r.sourceIp(), r.errorCode(), res == null ? null : res.type(), res == null ? null : res.arn(),
                res == null ? null : res.name(), res == null ? null : res.otherAccount(), r.recordJson(), r.prevHash(), r.hash(),
                r.actorArn()};
        int total = 0;
        for (int i = 0; i < TEXTS; i++) {
            if (fields[i] == null) continue;
            into[at + i] = fields[i].getBytes(StandardCharsets.UTF_8);
            total += into[at + i].length;
        }
        return total;
    }

    /** Decode every event's record. */
    public static final Predicate<AuditRow> ALL_RECORDS = r -> true;
    /** Decode no record. */
    public static final Predicate<AuditRow> NO_RECORDS = r -> false;

    /** The events of a stored batch, in the order stored, with their records. */
    public static List<AuditRow> decode(byte[] stored) {
        return decode(stored, Long.MIN_VALUE, Long.MAX_VALUE, r -> true, ALL_RECORDS);
    }

    /**
     * The events of a stored batch with {@code from <= seq <= to} that {@code keep} accepts, in the order stored. Events
     * outside the range are skipped undecoded (a lookup often wants one event of a large batch); {@code keep} judges an
     * event without its record; the record, the largest field, is decoded only for the events kept that
     * {@code withRecord} asks it for (judged, like {@code keep}, on the columns).
     *
     * @throws StoreException if the bytes are not a batch (a damaged or edited row: the verifier reports the gap it leaves)
     */
    public static List<AuditRow> decode(byte[] stored, long from, long to, Predicate<AuditRow> keep,
                                        Predicate<AuditRow> withRecord) {
        try {
            if (stored.length < HEADER || stored[0] != VERSION) throw new IllegalArgumentException("not an audit batch");
            int length = ByteBuffer.wrap(stored, 1, 4).getInt();
            int crc = ByteBuffer.wrap(stored, 5, 4).getInt();
            // LZ4 expands at most 255 to 1: a larger claim is damage, not a reason to allocate gigabytes.
            if (length < 4 || length / 255 > stored.length) throw new IllegalArgumentException("not an audit batch");
            byte[] plain = new byte[length];
            int n = UNLZ4.decompress(stored, HEADER, stored.length - HEADER, plain, 0, length);
            if (n != length) throw new IllegalArgumentException("an audit batch shorter than it says");
            if (crc(plain, n) != crc) throw new IllegalArgumentException("an audit batch whose checksum does not match");
            ByteBuffer in = ByteBuffer.wrap(plain);
            int count = in.getInt();
            if (count < 0 || count > MAX_EVENTS) throw new IllegalArgumentException("an audit batch of " + count + " events");
            List<AuditRow> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                AuditRow r = read(in, from, to, keep, withRecord);
                if (r != null) rows.add(r);
            }
            return rows;
        } catch (LZ4Exception | IllegalArgumentException | BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new StoreException("an audit batch cannot be read: " + e.getMessage(), e);
        }
    }

    /** The next event, if it is in the range and {@code keep} accepts it; else null. */
    private static AuditRow read(ByteBuffer in, long from, long to, Predicate<AuditRow> keep,
                                 Predicate<AuditRow> withRecord) {
        long seq = in.getLong();
        long time = in.getLong();
        boolean readOnly = in.get() == 1;
        if (seq < from || seq > to) {
            for (int i = 0; i < TEXTS; i++) skip(in);
            return null;
        }
        String eventId = text(in);
        String account = text(in);
        String region = text(in);
        String source = text(in);
        String name = text(in);
        String user = text(in);
        String key = text(in);
        String ip = text(in);
        String error = text(in);
        String resType = text(in);
        String resArn = text(in);
        String resName = text(in);
        String resOther = text(in);
        int recordAt = in.position();
        skip(in);
        String prev = text(in);
        String hash = text(in);
        String actor = text(in);
        AuditRow.Resource resource = resArn == null ? null : new AuditRow.Resource(resType, resArn, resName, resOther);
        AuditRow columns = new AuditRow(seq, eventId, time, account, region, source, name, user, key, readOnly, ip, error,
                resource, null, prev, hash, actor);
        if (!keep.test(columns)) return null;
        if (!withRecord.test(columns)) return columns;
        int end = in.position();
        String record = text(in.position(recordAt));
        in.position(end);
        return new AuditRow(seq, eventId, time, account, region, source, name, user, key, readOnly, ip, error, resource,
                record, prev, hash, actor);
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) return null;
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static void skip(ByteBuffer in) {
        int length = in.getInt();
        if (length > 0) in.position(in.position() + length);
    }
}
