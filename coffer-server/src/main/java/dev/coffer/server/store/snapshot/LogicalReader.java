package dev.coffer.server.store.snapshot;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what {@link LogicalWriter} wrote, checking its structure, and hashes it on the way. */
final class LogicalReader {
    /** One record of the stream. */
    sealed interface Item permits TableStart, Row, TableEnd, End {}

    record TableStart(Table table) implements Item {}

    record Row(Object[] values) implements Item {}

    record TableEnd(long rows) implements Item {}

    record End(String digest) implements Item {}

    /** A bound on one value: a stream that claims more is corrupt, not a reason to allocate gigabytes. */
    private static final int MAX_VALUE = 64 * 1024 * 1024;

    private final MessageDigest digest = LogicalWriter.sha256();
    private final DataInputStream in;
    private Table current;

    LogicalReader(InputStream source) {
        in = new DataInputStream(new DigestInputStream(source, digest));
    }

    Item next() {
        try {
            int kind = in.readUnsignedByte();
            switch (kind) {
                case LogicalWriter.TABLE -> {
                    if (current != null) throw corrupt("a table starts inside another");
                    current = table();
                    return new TableStart(current);
                }
                case LogicalWriter.ROW -> {
                    if (current == null) throw corrupt("a row outside any table");
                    return new Row(row(current));
                }
                case LogicalWriter.TABLE_END -> {
                    if (current == null) throw corrupt("a table ends that never started");
                    current = null;
                    return new TableEnd(in.readLong());
                }
                case LogicalWriter.END -> {
                    if (current != null) throw corrupt("the content ends inside a table");
                    return new End(LogicalWriter.hex(digest.digest()));
                }
                default -> throw corrupt("unknown record " + kind);
            }
        } catch (EOFException e) {
            throw corrupt("the content ends early");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when nothing follows (for a sealed file: its final chunk has been read and verified). */
    boolean atEnd() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Table table() throws IOException {
        String name = string();
        int n = in.readUnsignedShort();
        List<Column> columns = new ArrayList<>(n);
        Map<String, Column> byName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Column c = new Column(string(), ColumnType.ofTag(in.readUnsignedByte()));
            columns.add(c);
            byName.put(c.name(), c);
        }
        int k = in.readUnsignedShort();
        List<Column> key = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Column c = byName.get(string());
            if (c == null) throw corrupt("table " + name + " orders by a column it does not have");
            key.add(c);
        }
        return new Table(name, columns, key);
    }

    private Object[] row(Table table) throws IOException {
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            int tag = in.readUnsignedByte();
            if (tag == 0) continue;
            ColumnType type = ColumnType.ofTag(tag);
            if (type != table.columns().get(i).type()) throw corrupt("a value of the wrong type in " + table.name());
            values[i] = switch (type) {
                case TEXT -> string();
                case INTEGER -> in.readLong();
                case BYTES -> bytes();
            };
        }
        return values;
    }

    private String string() throws IOException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    private byte[] bytes() throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_VALUE) throw corrupt("a value of impossible length");
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static SnapshotException corrupt(String what) {
        return new SnapshotException("the snapshot's content is malformed (" + what + ")");
    }
}
