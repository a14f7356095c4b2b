package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The organization's accounts and the CreateAccount requests that made them. */
public final class OrganizationRepository {
    private final Connection c;
    private final Transaction tx;

    OrganizationRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public record AccountRow(String accountId, String name, String email, String status, String joinedMethod, long joinedAt) {}

    public record CreateRequestRow(String requestId, String accountName, String state, long requestedAt, Long completedAt,
                                   String accountId, String failureReason) {}

    public Optional<AccountRow> account(String accountId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT account_id, name, email, status, joined_method, joined_at FROM org_accounts "
                + "WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    public boolean emailTaken(String email) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM org_accounts WHERE LOWER(email) = LOWER(?)")) {
            ps.setString(1, email);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Accounts in id order, starting after {@code afterId} (null: from the first). */
    public List<AccountRow> accounts(String afterId, int limit) throws SQLException {
        try (var ps = c.prepareStatement("SELECT account_id, name, email, status, joined_method, joined_at FROM org_accounts "
                + "WHERE account_id > ? ORDER BY account_id LIMIT ?")) {
            ps.setString(1, afterId == null ? "" : afterId);
            ps.setInt(2, limit);
            try (var rs = ps.executeQuery()) {
                List<AccountRow> rows = new ArrayList<>();
                while (rs.next()) rows.add(account(rs));
                return rows;
            }
        }
    }

    public void insertAccount(AccountRow row) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO org_accounts (account_id, name, email, status, joined_method, joined_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.accountId());
            ps.setString(2, row.name());
            ps.setString(3, row.email());
            ps.setString(4, row.status());
            ps.setString(5, row.joinedMethod());
            ps.setLong(6, row.joinedAt());
            tx.touch(ChangeDomain.IDENTITIES);
            ps.executeUpdate();
        }
    }

    public void putCreateRequest(CreateRequestRow row) throws SQLException {
        try (var del = c.prepareStatement("DELETE FROM org_create_account_requests WHERE request_id = ?")) {
            del.setString(1, row.requestId());
            del.executeUpdate();
        }
        try (var ps = c.prepareStatement("INSERT INTO org_create_account_requests (request_id, account_name, state, "
                + "requested_at, completed_at, account_id, failure_reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.requestId());
            ps.setString(2, row.accountName());
            ps.setString(3, row.state());
            ps.setLong(4, row.requestedAt());
            ps.setObject(5, row.completedAt());
            ps.setString(6, row.accountId());
            ps.setString(7, row.failureReason());
            tx.touch(ChangeDomain.IDENTITIES);
            ps.executeUpdate();
        }
    }

    public Optional<CreateRequestRow> createRequest(String requestId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT request_id, account_name, state, requested_at, completed_at, account_id, "
                + "failure_reason FROM org_create_account_requests WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(createRequest(rs)) : Optional.empty();
            }
        }
    }

    /** Requests newest first, after the first {@code offset}. */
    public List<CreateRequestRow> createRequests(int offset, int limit) throws SQLException {
        try (var ps = c.prepareStatement("SELECT request_id, account_name, state, requested_at, completed_at, account_id, "
                + "failure_reason FROM org_create_account_requests ORDER BY requested_at DESC, request_id LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            try (var rs = ps.executeQuery()) {
                List<CreateRequestRow> rows = new ArrayList<>();
                while (rs.next()) rows.add(createRequest(rs));
                return rows;
            }
        }
    }

    private static AccountRow account(ResultSet rs) throws SQLException {
        return new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6));
    }

    private static CreateRequestRow createRequest(ResultSet rs) throws SQLException {
        long completed = rs.getLong(5);
        Long completedAt = rs.wasNull() ? null : completed;
        return new CreateRequestRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), completedAt,
                rs.getString(6), rs.getString(7));
    }
}
