package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Rows of wrapped key-encryption keys. Only the keyring reads or writes them. */
public final class KeyringRepository {
    private final Connection c;
    private final Transaction tx;

    KeyringRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public record WrappedKey(int keyId, String purpose, byte[] wrappedKey, boolean primary, long createdAt) {}

    public List<WrappedKey> all(String purpose) throws SQLException {
        try (var ps = c.prepareStatement(
                "SELECT key_id, purpose, wrapped_key, is_primary, created_at FROM keyring_keys WHERE purpose = ? ORDER BY key_id")) {
            ps.setString(1, purpose);
            try (var rs = ps.executeQuery()) {
                List<WrappedKey> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(new WrappedKey(rs.getInt(1), rs.getString(2), rs.getBytes(3), rs.getInt(4) == 1, rs.getLong(5)));
                }
                return keys;
            }
        }
    }

    /** Whether any key-encryption key exists: false only for a store no node has initialized. */
    public boolean any() throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM keyring_keys")) {
            ps.setMaxRows(1);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void insert(WrappedKey key) throws SQLException {
        try (var ps = c.prepareStatement(
                "INSERT INTO keyring_keys (key_id, purpose, wrapped_key, is_primary, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setInt(1, key.keyId());
            ps.setString(2, key.purpose());
            ps.setBytes(3, key.wrappedKey());
            ps.setInt(4, key.primary() ? 1 : 0);
            ps.setLong(5, key.createdAt());
            tx.touch(ChangeDomain.KEYRING);
            ps.executeUpdate();
        }
    }
}
