package dev.coffer.server.store.snapshot;

/** A column of a table as a snapshot records it: lower-case name and engine-neutral type. */
public record Column(String name, ColumnType type) {}
