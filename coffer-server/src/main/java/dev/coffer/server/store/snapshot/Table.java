package dev.coffer.server.store.snapshot;

import java.util.List;

/** A table as a snapshot records it; rows are read and written in the order of {@code primaryKey}. */
public record Table(String name, List<Column> columns, List<Column> primaryKey) {
    public Table {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }
}
