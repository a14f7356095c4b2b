package dev.coffer.server.store.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.StringJoiner;

/** Inserts rows of one table into a target by column name, in batches, inside the caller's transaction. */
final class RowInserter implements AutoCloseable {
    private static final int BATCH = 500;

    private final Table table;
    private final PreparedStatement insert;
    private int pending;

    RowInserter(Connection c, Table table) throws SQLException {
        this.table = table;
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        for (Column col : table.columns()) {
            columns.add(Catalog.quote(col.name()));
            marks.add("?");
        }
        insert = c.prepareStatement("INSERT INTO " + Catalog.quote(table.name()) + " (" + columns + ") VALUES (" + marks + ")");
    }

    void add(Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            ColumnType type = table.columns().get(i).type();
            if (v == null) {
                insert.setNull(i + 1, switch (type) {
                    case TEXT -> Types.VARCHAR;
                    case INTEGER -> Types.BIGINT;
                    case BYTES -> Types.BINARY;
                });
                continue;
            }
            switch (type) {
                case TEXT -> insert.setString(i + 1, (String) v);
                case INTEGER -> insert.setLong(i + 1, (Long) v);
                case BYTES -> insert.setBytes(i + 1, (byte[]) v);
            }
        }
        insert.addBatch();
        if (++pending >= BATCH) flush();
    }

    void flush() throws SQLException {
        if (pending == 0) return;
        insert.executeBatch();
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            insert.close();
        }
    }
}
