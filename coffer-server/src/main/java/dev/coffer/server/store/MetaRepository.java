package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Deployment-wide settings kept in the database (account id, schema facts). */
public final class MetaRepository {
    private final Connection c;
    private final Transaction tx;

    MetaRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public Optional<String> get(String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT meta_value FROM coffer_meta WHERE meta_key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets the value only if the key is absent; returns the value that is stored now. */
    public String putIfAbsent(String key, String value) throws SQLException {
        Optional<String> existing = get(key);
        if (existing.isPresent()) return existing.get();
        try (var ps = c.prepareStatement("INSERT INTO coffer_meta (meta_key, meta_value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            tx.touch(ChangeDomain.META);
            ps.executeUpdate();
        }
        return value;
    }
}
