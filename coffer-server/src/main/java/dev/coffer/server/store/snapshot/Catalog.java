package dev.coffer.server.store.snapshot;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The tables of a Coffer database as the database itself describes them (JDBC metadata, the same calls on both engines),
 * in foreign-key order: a table comes after every table it references, ties broken by name, so both engines list the
 * same schema in the same order. Flyway's history is not data: a target writes its own by migrating.
 */
final class Catalog {
    static final String HISTORY = "flyway_schema_history";

    private Catalog() {}

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Every data table, parents before children. */
    static List<Table> tables(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        Map<String, String> actualNames = new TreeMap<>(); // lower-case → as the catalog spells it
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("sqlite_") || lower.equals(HISTORY)) continue;
                actualNames.put(lower, name);
            }
        }
        Map<String, Table> byName = new HashMap<>();
        Map<String, Set<String>> parents = new HashMap<>();
        for (var entry : actualNames.entrySet()) {
            byName.put(entry.getKey(), describe(meta, schema, entry.getKey(), entry.getValue()));
            Set<String> refs = new TreeSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, schema, entry.getValue())) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(entry.getKey())) refs.add(parent);
                }
            }
            parents.put(entry.getKey(), refs);
        }
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        while (ordered.size() < byName.size()) {
            String next = null;
            for (String name : actualNames.keySet()) { // alphabetical: the first table whose parents are placed
                if (!placed.contains(name) && placed.containsAll(parents.get(name))) {
                    next = name;
                    break;
                }
            }
            if (next == null) throw new SnapshotException("the tables' foreign keys form a cycle; no load order exists");
            placed.add(next);
            ordered.add(byName.get(next));
        }
        return ordered;
    }

    private static Table describe(DatabaseMetaData meta, String schema, String name, String actual) throws SQLException {
        TreeMap<Integer, Column> columns = new TreeMap<>();
        try (ResultSet rs = meta.getColumns(null, schema, actual, "%")) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                columns.put(rs.getInt("ORDINAL_POSITION"),
                        new Column(column, ColumnType.ofDeclared(name, column, rs.getString("TYPE_NAME"))));
            }
        }
        Map<String, Column> byColumnName = new HashMap<>();
        columns.values().forEach(col -> byColumnName.put(col.name(), col));
        TreeMap<Integer, Column> key = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, actual)) {
            while (rs.next()) {
                key.put(rs.getInt("KEY_SEQ"), byColumnName.get(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)));
            }
        }
        // Without a primary key, every column orders the rows (the same rows sort alike on both engines).
        List<Column> order = key.isEmpty() ? List.copyOf(columns.values()) : List.copyOf(key.values());
        return new Table(name, List.copyOf(columns.values()), order);
    }

    /** The newest schema version the database has applied, or null when it has no Coffer schema. */
    static String schemaVersion(Connection c) throws SQLException {
        if (!hasTable(c, HISTORY)) return null;
        MigrationVersion newest = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + quote("version") + ", " + quote("success") + " FROM "
                + quote(HISTORY)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (version == null || !rs.getBoolean(2)) continue;
                MigrationVersion v = MigrationVersion.fromVersion(version);
                if (newest == null || v.compareTo(newest) > 0) newest = v;
            }
        }
        return newest == null ? null : newest.getVersion();
    }

    static boolean hasTable(Connection c, String lowerName) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) if (rs.getString("TABLE_NAME").equalsIgnoreCase(lowerName)) return true;
        }
        return false;
    }

    /** The data tables that hold at least one row (a target must have none). */
    static List<String> tablesWithRows(Connection c) throws SQLException {
        List<String> nonEmpty = new ArrayList<>();
        for (Table t : tables(c)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + quote(t.name()))) {
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) nonEmpty.add(t.name());
                }
            }
        }
        return nonEmpty;
    }

    static long count(Connection c, Table t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + quote(t.name()));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
