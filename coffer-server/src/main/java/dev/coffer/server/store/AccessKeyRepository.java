package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Access keys. The secret half is stored sealed by the keyring, never in plaintext. */
public final class AccessKeyRepository {
    private final Connection c;
    private final Transaction tx;

    AccessKeyRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public record AccessKeyRow(String accessKeyId, String accountId, String principalArn, String userName,
                               byte[] secretSealed, String status, long createdAt, Long lastUsedAt) {}

    public Optional<AccessKeyRow> find(String accessKeyId) throws SQLException {
        try (var ps = c.prepareStatement(
                "SELECT access_key_id, account_id, principal_arn, user_name, secret_sealed, status, created_at, last_used_at "
                        + "FROM access_keys WHERE access_key_id = ?")) {
            ps.setString(1, accessKeyId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public void insert(AccessKeyRow row) throws SQLException {
        try (var ps = c.prepareStatement(
                "INSERT INTO access_keys (access_key_id, account_id, principal_arn, user_name, secret_sealed, status, created_at, last_used_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.accessKeyId());
            ps.setString(2, row.accountId());
            ps.setString(3, row.principalArn());
            ps.setString(4, row.userName());
            ps.setBytes(5, row.secretSealed());
            ps.setString(6, row.status());
            ps.setLong(7, row.createdAt());
            ps.setObject(8, row.lastUsedAt());
            tx.touch(ChangeDomain.IDENTITIES);
            ps.executeUpdate();
        }
    }

    private static AccessKeyRow row(ResultSet rs) throws SQLException {
        long lastUsed = rs.getLong(8);
        Long lastUsedAt = rs.wasNull() ? null : lastUsed;
        return new AccessKeyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getBytes(5), rs.getString(6), rs.getLong(7), lastUsedAt);
    }
}
