package dev.coffer.server.store.snapshot;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The content digest of what a database holds now, for the tables a snapshot describes: the check that a copy is exact. */
final class ContentDigest {
    private ContentDigest() {}

    static String of(Connection c, Engine engine, List<Table> tables) throws SQLException {
        LogicalWriter writer = new LogicalWriter(OutputStream.nullOutputStream());
        for (Table table : tables) {
            writer.table(table);
            long rows = TableScan.scan(c, engine, table, values -> writer.row(table, values));
            writer.tableEnd(rows);
        }
        return writer.end();
    }
}
