package dev.coffer.server.store.snapshot;

import java.util.Locale;

/** The engine-neutral types a snapshot carries. Each value is one of these or null. */
public enum ColumnType {
    TEXT(1),
    INTEGER(2),
    BYTES(3);

    /** The tag of a value of this type in the logical stream (0 is null). */
    final int tag;

    ColumnType(int tag) {
        this.tag = tag;
    }

    static ColumnType ofTag(int tag) {
        for (ColumnType t : values()) if (t.tag == tag) return t;
        throw new SnapshotException("the snapshot holds a value of unknown type " + tag);
    }

    /** From a declared SQL type as either engine reports it (VARCHAR/varchar, CHAR/bpchar, INTEGER/int4, BIGINT/int8, BLOB/bytea). */
    static ColumnType ofDeclared(String table, String column, String declared) {
        String t = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) return INTEGER;
        if (t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB")) return TEXT;
        if (t.contains("BLOB") || t.contains("BYTEA") || t.contains("BINARY")) return BYTES;
        throw new SnapshotException("column " + table + "." + column + " has type " + declared
                + ", which the snapshot format does not carry");
    }
}
