package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Access keys. The secret half is stored sealed by the keyring, never in plaintext; it stays bound
 * to the principal ARN it was created for ({@code principal_arn}), while the key belongs to its user
 * by unique id ({@code user_id}), so a renamed user keeps its keys. {@code row_mac} is computed above
 * the store and covers the key's owner and status.
 */
public final class AccessKeyRepository {
    private static final String COLUMNS = "access_key_id, account_id, principal_arn, user_name, secret_sealed, status, "
            + "created_at, last_used_at, user_id, last_used_region, last_used_service, row_mac";
    private final Connection c;
    private final Transaction tx;

    AccessKeyRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public record AccessKeyRow(String accessKeyId, String accountId, String principalArn, String userName,
                               byte[] secretSealed, String status, long createdAt, Long lastUsedAt, String userId,
                               String lastUsedRegion, String lastUsedService, byte[] mac) {

        /** A key row as it was before identities existed (no owner id, no MAC). */
        public AccessKeyRow(String accessKeyId, String accountId, String principalArn, String userName, byte[] secretSealed,
                            String status, long createdAt, Long lastUsedAt) {
            this(accessKeyId, accountId, principalArn, userName, secretSealed, status, createdAt, lastUsedAt, null, null,
                    null, null);
        }

        public AccessKeyRow withStatus(String newStatus, byte[] newMac) {
            return new AccessKeyRow(accessKeyId, accountId, principalArn, userName, secretSealed, newStatus, createdAt,
                    lastUsedAt, userId, lastUsedRegion, lastUsedService, newMac);
        }

        @Override
        public String toString() {
            return "AccessKeyRow[" + accessKeyId + ", " + principalArn + ", " + status + "]";
        }
    }

    public Optional<AccessKeyRow> find(String accessKeyId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_keys WHERE access_key_id = ?")) {
            ps.setString(1, accessKeyId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The keys of one user, oldest first. */
    public List<AccessKeyRow> forUser(String accountId, String userId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM access_keys WHERE account_id = ? AND user_id = ? ORDER BY created_at, access_key_id")) {
            ps.setString(1, accountId);
            ps.setString(2, userId);
            try (var rs = ps.executeQuery()) {
                List<AccessKeyRow> rows = new ArrayList<>();
                while (rs.next()) rows.add(row(rs));
                return rows;
            }
        }
    }

    /** Keys that belong to no user yet (created before identities existed). */
    public List<AccessKeyRow> withoutOwner() throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_keys WHERE user_id IS NULL OR row_mac IS NULL");
             var rs = ps.executeQuery()) {
            List<AccessKeyRow> rows = new ArrayList<>();
            while (rs.next()) rows.add(row(rs));
            return rows;
        }
    }

    public void insert(AccessKeyRow row) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO access_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.accessKeyId());
            ps.setString(2, row.accountId());
            ps.setString(3, row.principalArn());
            ps.setString(4, row.userName());
            ps.setBytes(5, row.secretSealed());
            ps.setString(6, row.status());
            ps.setLong(7, row.createdAt());
            ps.setObject(8, row.lastUsedAt());
            ps.setString(9, row.userId());
            ps.setString(10, row.lastUsedRegion());
            ps.setString(11, row.lastUsedService());
            ps.setBytes(12, row.mac());
            tx.touch(ChangeDomain.IDENTITIES);
            ps.executeUpdate();
        }
    }

    /** Changes what decides access: owner, owner's name, status and the MAC over them. */
    public void updateOwnership(AccessKeyRow row) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE access_keys SET user_id = ?, user_name = ?, status = ?, row_mac = ? "
                + "WHERE access_key_id = ?")) {
            ps.setString(1, row.userId());
            ps.setString(2, row.userName());
            ps.setString(3, row.status());
            ps.setBytes(4, row.mac());
            ps.setString(5, row.accessKeyId());
            tx.touch(ChangeDomain.IDENTITIES);
            ps.executeUpdate();
        }
    }

    public boolean delete(String accessKeyId) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM access_keys WHERE access_key_id = ?")) {
            ps.setString(1, accessKeyId);
            tx.touch(ChangeDomain.IDENTITIES);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Records a key's last use. Touches {@link ChangeDomain#META}, not identities: when a key was last
     * used decides nothing, and must not flush the caches of every caller.
     */
    public void recordLastUsed(String accessKeyId, long at, String region, String service) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE access_keys SET last_used_at = ?, last_used_region = ?, last_used_service = ? "
                + "WHERE access_key_id = ?")) {
            ps.setLong(1, at);
            ps.setString(2, region);
            ps.setString(3, service);
            ps.setString(4, accessKeyId);
            tx.touch(ChangeDomain.META);
            ps.executeUpdate();
        }
    }

    private static AccessKeyRow row(ResultSet rs) throws SQLException {
        long lastUsed = rs.getLong(8);
        Long lastUsedAt = rs.wasNull() ? null : lastUsed;
        return new AccessKeyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getBytes(5), rs.getString(6), rs.getLong(7), lastUsedAt, rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getBytes(12));
    }
}
