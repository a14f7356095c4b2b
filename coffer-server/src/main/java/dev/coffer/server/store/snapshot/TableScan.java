package dev.coffer.server.store.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.StringJoiner;

/** Streams a table's rows in canonical order (key columns, text in byte order), one row in memory at a time. */
final class TableScan {
    /** Receives each row; the array is the caller's to keep. */
    @FunctionalInterface
    interface RowSink {
        void row(Object[] values) throws SQLException;
    }

    private TableScan() {}

    static long scan(Connection c, Engine engine, Table table, RowSink sink) throws SQLException {
        StringJoiner columns = new StringJoiner(", ");
        for (Column col : table.columns()) columns.add(Catalog.quote(col.name()));
        StringJoiner order = new StringJoiner(", ");
        for (Column col : table.primaryKey()) order.add(engine.orderTerm(col));
        String sql = "SELECT " + columns + " FROM " + Catalog.quote(table.name())
                + (table.primaryKey().isEmpty() ? "" : " ORDER BY " + order);
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(500); // PostgreSQL streams through a cursor (inside a transaction) instead of loading all rows
            try (ResultSet rs = ps.executeQuery()) {
                int n = table.columns().size();
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = switch (table.columns().get(i).type()) {
                            case TEXT -> rs.getString(i + 1);
                            case INTEGER -> {
                                long v = rs.getLong(i + 1);
                                yield rs.wasNull() ? null : v;
                            }
                            case BYTES -> rs.getBytes(i + 1);
                        };
                    }
                    sink.row(values);
                    rows++;
                }
            }
        }
        return rows;
    }
}
