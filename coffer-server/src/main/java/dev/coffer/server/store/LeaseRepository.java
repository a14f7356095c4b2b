package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Named leases on singleton work. Acquiring, renewing and giving one up are each one read-then-write
 * inside the caller's unit of work: on PostgreSQL that unit runs SERIALIZABLE, so of two nodes racing
 * for an expired lease exactly one commits as its holder and the other is retried and sees it taken.
 */
public final class LeaseRepository {
    private final Connection c;

    LeaseRepository(Connection c) {
        this.c = c;
    }

    /**
     * Takes or renews the lease for {@code holder} until {@code expiresAt} if it is free, expired or
     * already held by {@code holder}; returns whether {@code holder} holds it now.
     */
    public boolean acquire(String lease, String holder, long now, long expiresAt) throws SQLException {
        String current = null;
        long currentExpiry = 0;
        try (var ps = c.prepareStatement("SELECT holder, expires_at FROM coffer_leases WHERE lease_name = ?")) {
            ps.setString(1, lease);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    current = rs.getString(1);
                    currentExpiry = rs.getLong(2);
                }
            }
        }
        if (current == null) {
            try (var ps = c.prepareStatement(
                    "INSERT INTO coffer_leases (lease_name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, lease);
                ps.setString(2, holder);
                ps.setLong(3, now);
                ps.setLong(4, expiresAt);
                ps.executeUpdate();
            }
            return true;
        }
        boolean ours = current.equals(holder);
        if (!ours && currentExpiry > now) return false;
        try (var ps = c.prepareStatement(ours
                ? "UPDATE coffer_leases SET expires_at = ? WHERE lease_name = ? AND holder = ?"
                : "UPDATE coffer_leases SET expires_at = ?, holder = ?, acquired_at = ? WHERE lease_name = ?")) {
            ps.setLong(1, expiresAt);
            if (ours) {
                ps.setString(2, lease);
                ps.setString(3, holder);
            } else {
                ps.setString(2, holder);
                ps.setLong(3, now);
                ps.setString(4, lease);
            }
            ps.executeUpdate();
        }
        return true;
    }

    /** Gives the lease up if {@code holder} holds it, so another node can take it at once (a clean shutdown). */
    public void release(String lease, String holder) throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM coffer_leases WHERE lease_name = ? AND holder = ?")) {
            ps.setString(1, lease);
            ps.setString(2, holder);
            ps.executeUpdate();
        }
    }

    /** The current holder, expired or not, or null. */
    public String holder(String lease) throws SQLException {
        try (var ps = c.prepareStatement("SELECT holder FROM coffer_leases WHERE lease_name = ?")) {
            ps.setString(1, lease);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
