package dev.coffer.server.store.snapshot;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes the engine-neutral logical content of a store: for each table a start record (name, typed columns, key
 * columns), one record per row (each value tagged: null, text as UTF-8, integer as 64 bits, bytes), an end record with
 * the row count, and a final end-of-snapshot record. The encoding is canonical — one store state has exactly one
 * encoding, whatever engine it was read from — so its SHA-256 is the content digest both ends compare.
 */
final class LogicalWriter {
    static final int TABLE = 'T';
    static final int ROW = 'R';
    static final int TABLE_END = 'E';
    static final int END = 'Z';

    private final MessageDigest digest;
    private final DataOutputStream out;

    LogicalWriter(OutputStream sink) {
        digest = sha256();
        out = new DataOutputStream(new DigestOutputStream(sink, digest));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    void table(Table table) {
        try {
            out.writeByte(TABLE);
            string(table.name());
            out.writeShort(table.columns().size());
            for (Column c : table.columns()) {
                string(c.name());
                out.writeByte(c.type().tag);
            }
            out.writeShort(table.primaryKey().size());
            for (Column c : table.primaryKey()) string(c.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void row(Table table, Object[] values) {
        try {
            out.writeByte(ROW);
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    out.writeByte(0);
                    continue;
                }
                ColumnType type = table.columns().get(i).type();
                out.writeByte(type.tag);
                switch (type) {
                    case TEXT -> string((String) v);
                    case INTEGER -> out.writeLong((Long) v);
                    case BYTES -> {
                        byte[] b = (byte[]) v;
                        out.writeInt(b.length);
                        out.write(b);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void tableEnd(long rows) {
        try {
            out.writeByte(TABLE_END);
            out.writeLong(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the content; returns the lower-case hex SHA-256 of everything written. */
    String end() {
        try {
            out.writeByte(END);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(digest.digest());
    }

    private void string(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        return b.toString();
    }
}
