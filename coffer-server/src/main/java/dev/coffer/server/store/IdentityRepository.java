package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * IAM identities: users, groups and their members, roles, inline policies, customer managed
 * policies and their versions, attachments, OIDC providers. Rows carry a MAC computed above the
 * store (by the keyring); this repository stores and returns it and never judges it. Every write
 * marks {@link ChangeDomain#IDENTITIES}.
 */
public final class IdentityRepository {
    private final Connection c;
    private final Transaction tx;

    IdentityRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    public record UserRow(String accountId, String userId, String userName, String path, String arn, long createdAt,
                          String boundaryArn, String tags, byte[] mac) {}

    public record GroupRow(String accountId, String groupId, String groupName, String path, String arn, long createdAt,
                           byte[] mac) {}

    public record MemberRow(String accountId, String groupId, String userId, byte[] mac) {}

    public record RoleRow(String accountId, String roleId, String roleName, String path, String arn, long createdAt,
                          String trustPolicy, String description, int maxSessionDuration, String boundaryArn, String tags,
                          Long lastUsedAt, String lastUsedRegion, byte[] mac) {}

    /** ownerKind is "user", "group" or "role"; ownerId the owner's unique id. */
    public record InlinePolicyRow(String accountId, String ownerKind, String ownerId, String policyName, String document,
                                  byte[] mac) {}

    public record PolicyRow(String accountId, String policyId, String policyName, String path, String arn,
                            String description, String defaultVersion, int nextVersion, long createdAt, long updatedAt,
                            String tags, byte[] mac) {}

    public record PolicyVersionRow(String accountId, String policyId, String versionId, String document, long createdAt,
                                   byte[] mac) {}

    public record AttachmentRow(String accountId, String ownerKind, String ownerId, String policyArn, long attachedAt,
                                byte[] mac) {}

    public record OidcProviderRow(String accountId, String arn, String url, String clientIds, String thumbprints,
                                  String tags, long createdAt, byte[] mac) {}

    // ---- users -------------------------------------------------------------------------

    private static final String USER = "SELECT account_id, user_id, user_name, path, arn, created_at, boundary_arn, tags, row_mac "
            + "FROM iam_users ";

    private static UserRow user(ResultSet rs) throws SQLException {
        return new UserRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getBytes(9));
    }

    public Optional<UserRow> findUser(String accountId, String userName) throws SQLException {
        return one(USER + "WHERE account_id = ? AND name_lower = ?", IdentityRepository::user, accountId, lower(userName));
    }

    public Optional<UserRow> findUserById(String accountId, String userId) throws SQLException {
        return one(USER + "WHERE account_id = ? AND user_id = ?", IdentityRepository::user, accountId, userId);
    }

    public List<UserRow> users(String accountId) throws SQLException {
        return many(USER + "WHERE account_id = ? ORDER BY name_lower", IdentityRepository::user, accountId);
    }

    public List<UserRow> allUsers() throws SQLException {
        return many(USER + "ORDER BY account_id, name_lower", IdentityRepository::user);
    }

    public void insertUser(UserRow u) throws SQLException {
        update("INSERT INTO iam_users (account_id, user_id, user_name, name_lower, path, arn, created_at, boundary_arn, tags, row_mac) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", u.accountId(), u.userId(), u.userName(), lower(u.userName()), u.path(),
                u.arn(), u.createdAt(), u.boundaryArn(), u.tags(), u.mac());
    }

    public void updateUser(UserRow u) throws SQLException {
        update("UPDATE iam_users SET user_name = ?, name_lower = ?, path = ?, arn = ?, boundary_arn = ?, tags = ?, row_mac = ? "
                + "WHERE account_id = ? AND user_id = ?", u.userName(), lower(u.userName()), u.path(), u.arn(), u.boundaryArn(),
                u.tags(), u.mac(), u.accountId(), u.userId());
    }

    public void deleteUser(String accountId, String userId) throws SQLException {
        update("DELETE FROM iam_users WHERE account_id = ? AND user_id = ?", accountId, userId);
    }

    // ---- groups and members -----------------------------------------------------------------

    private static final String GROUP = "SELECT account_id, group_id, group_name, path, arn, created_at, row_mac FROM iam_groups ";

    private static GroupRow group(ResultSet rs) throws SQLException {
        return new GroupRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                rs.getBytes(7));
    }

    public Optional<GroupRow> findGroup(String accountId, String groupName) throws SQLException {
        return one(GROUP + "WHERE account_id = ? AND name_lower = ?", IdentityRepository::group, accountId, lower(groupName));
    }

    public Optional<GroupRow> findGroupById(String accountId, String groupId) throws SQLException {
        return one(GROUP + "WHERE account_id = ? AND group_id = ?", IdentityRepository::group, accountId, groupId);
    }

    public List<GroupRow> groups(String accountId) throws SQLException {
        return many(GROUP + "WHERE account_id = ? ORDER BY name_lower", IdentityRepository::group, accountId);
    }

    public void insertGroup(GroupRow g) throws SQLException {
        update("INSERT INTO iam_groups (account_id, group_id, group_name, name_lower, path, arn, created_at, row_mac) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", g.accountId(), g.groupId(), g.groupName(), lower(g.groupName()), g.path(),
                g.arn(), g.createdAt(), g.mac());
    }

    public void updateGroup(GroupRow g) throws SQLException {
        update("UPDATE iam_groups SET group_name = ?, name_lower = ?, path = ?, arn = ?, row_mac = ? WHERE account_id = ? AND group_id = ?",
                g.groupName(), lower(g.groupName()), g.path(), g.arn(), g.mac(), g.accountId(), g.groupId());
    }

    public void deleteGroup(String accountId, String groupId) throws SQLException {
        update("DELETE FROM iam_groups WHERE account_id = ? AND group_id = ?", accountId, groupId);
    }

    private static MemberRow member(ResultSet rs) throws SQLException {
        return new MemberRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4));
    }

    public List<MemberRow> membersOf(String accountId, String groupId) throws SQLException {
        return many("SELECT account_id, group_id, user_id, row_mac FROM iam_group_members WHERE account_id = ? AND group_id = ?",
                IdentityRepository::member, accountId, groupId);
    }

    public List<MemberRow> membershipsOf(String accountId, String userId) throws SQLException {
        return many("SELECT account_id, group_id, user_id, row_mac FROM iam_group_members WHERE account_id = ? AND user_id = ?",
                IdentityRepository::member, accountId, userId);
    }

    public void insertMember(MemberRow m) throws SQLException {
        update("INSERT INTO iam_group_members (account_id, group_id, user_id, row_mac) VALUES (?, ?, ?, ?)",
                m.accountId(), m.groupId(), m.userId(), m.mac());
    }

    public boolean deleteMember(String accountId, String groupId, String userId) throws SQLException {
        return update("DELETE FROM iam_group_members WHERE account_id = ? AND group_id = ? AND user_id = ?",
                accountId, groupId, userId) > 0;
    }

    // ---- roles -------------------------------------------------------------------------

    private static final String ROLE = "SELECT account_id, role_id, role_name, path, arn, created_at, trust_policy, description, "
            + "max_session_duration, boundary_arn, tags, last_used_at, last_used_region, row_mac FROM iam_roles ";

    private static RoleRow role(ResultSet rs) throws SQLException {
        long lastUsed = rs.getLong(12);
        Long lastUsedAt = rs.wasNull() ? null : lastUsed;
        return new RoleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11), lastUsedAt,
                rs.getString(13), rs.getBytes(14));
    }

    public Optional<RoleRow> findRole(String accountId, String roleName) throws SQLException {
        return one(ROLE + "WHERE account_id = ? AND name_lower = ?", IdentityRepository::role, accountId, lower(roleName));
    }

    public Optional<RoleRow> findRoleByArn(String arn) throws SQLException {
        return one(ROLE + "WHERE arn = ?", IdentityRepository::role, arn);
    }

    public Optional<RoleRow> findRoleById(String accountId, String roleId) throws SQLException {
        return one(ROLE + "WHERE account_id = ? AND role_id = ?", IdentityRepository::role, accountId, roleId);
    }

    public List<RoleRow> roles(String accountId) throws SQLException {
        return many(ROLE + "WHERE account_id = ? ORDER BY name_lower", IdentityRepository::role, accountId);
    }

    public List<RoleRow> allRoles() throws SQLException {
        return many(ROLE + "ORDER BY account_id, name_lower", IdentityRepository::role);
    }

    public void insertRole(RoleRow r) throws SQLException {
        update("INSERT INTO iam_roles (account_id, role_id, role_name, name_lower, path, arn, created_at, trust_policy, description, "
                        + "max_session_duration, boundary_arn, tags, last_used_at, last_used_region, row_mac) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.accountId(), r.roleId(), r.roleName(),
                lower(r.roleName()), r.path(), r.arn(), r.createdAt(), r.trustPolicy(), r.description(),
                r.maxSessionDuration(), r.boundaryArn(), r.tags(), r.lastUsedAt(), r.lastUsedRegion(), r.mac());
    }

    public void updateRole(RoleRow r) throws SQLException {
        update("UPDATE iam_roles SET trust_policy = ?, description = ?, max_session_duration = ?, boundary_arn = ?, tags = ?, "
                        + "row_mac = ? WHERE account_id = ? AND role_id = ?", r.trustPolicy(), r.description(),
                r.maxSessionDuration(), r.boundaryArn(), r.tags(), r.mac(), r.accountId(), r.roleId());
    }

    public void deleteRole(String accountId, String roleId) throws SQLException {
        update("DELETE FROM iam_roles WHERE account_id = ? AND role_id = ?", accountId, roleId);
    }

    // ---- inline policies ---------------------------------------------------------------------

    private static InlinePolicyRow inline(ResultSet rs) throws SQLException {
        return new InlinePolicyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBytes(6));
    }

    private static final String INLINE = "SELECT account_id, owner_kind, owner_id, policy_name, document, row_mac FROM iam_inline_policies ";

    public List<InlinePolicyRow> inlinePolicies(String accountId, String ownerKind, String ownerId) throws SQLException {
        return many(INLINE + "WHERE account_id = ? AND owner_kind = ? AND owner_id = ? ORDER BY policy_name",
                IdentityRepository::inline, accountId, ownerKind, ownerId);
    }

    public Optional<InlinePolicyRow> findInlinePolicy(String accountId, String ownerKind, String ownerId, String name)
            throws SQLException {
        return one(INLINE + "WHERE account_id = ? AND owner_kind = ? AND owner_id = ? AND policy_name = ?",
                IdentityRepository::inline, accountId, ownerKind, ownerId, name);
    }

    /** Creates or replaces an inline policy. */
    public void putInlinePolicy(InlinePolicyRow p) throws SQLException {
        deleteInlinePolicy(p.accountId(), p.ownerKind(), p.ownerId(), p.policyName());
        update("INSERT INTO iam_inline_policies (account_id, owner_kind, owner_id, policy_name, document, row_mac) "
                + "VALUES (?, ?, ?, ?, ?, ?)", p.accountId(), p.ownerKind(), p.ownerId(), p.policyName(), p.document(), p.mac());
    }

    public boolean deleteInlinePolicy(String accountId, String ownerKind, String ownerId, String name) throws SQLException {
        return update("DELETE FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_id = ? AND policy_name = ?",
                accountId, ownerKind, ownerId, name) > 0;
    }

    // ---- managed policies ------------------------------------------------------------------

    private static final String POLICY = "SELECT account_id, policy_id, policy_name, path, arn, description, default_version, "
            + "next_version, created_at, updated_at, tags, row_mac FROM iam_policies ";

    private static PolicyRow policy(ResultSet rs) throws SQLException {
        return new PolicyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getString(11), rs.getBytes(12));
    }

    public Optional<PolicyRow> findPolicyByArn(String arn) throws SQLException {
        return one(POLICY + "WHERE arn = ?", IdentityRepository::policy, arn);
    }

    public Optional<PolicyRow> findPolicyByName(String accountId, String name) throws SQLException {
        return one(POLICY + "WHERE account_id = ? AND name_lower = ?", IdentityRepository::policy, accountId, lower(name));
    }

    public List<PolicyRow> policies(String accountId) throws SQLException {
        return many(POLICY + "WHERE account_id = ? ORDER BY name_lower", IdentityRepository::policy, accountId);
    }

    public void insertPolicy(PolicyRow p) throws SQLException {
        update("INSERT INTO iam_policies (account_id, policy_id, policy_name, name_lower, path, arn, description, default_version, "
                        + "next_version, created_at, updated_at, tags, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p.accountId(), p.policyId(), p.policyName(), lower(p.policyName()), p.path(), p.arn(), p.description(),
                p.defaultVersion(), p.nextVersion(), p.createdAt(), p.updatedAt(), p.tags(), p.mac());
    }

    public void updatePolicy(PolicyRow p) throws SQLException {
        update("UPDATE iam_policies SET default_version = ?, next_version = ?, updated_at = ?, tags = ?, row_mac = ? "
                        + "WHERE account_id = ? AND policy_id = ?", p.defaultVersion(), p.nextVersion(), p.updatedAt(), p.tags(),
                p.mac(), p.accountId(), p.policyId());
    }

    public void deletePolicy(String accountId, String policyId) throws SQLException {
        update("DELETE FROM iam_policy_versions WHERE account_id = ? AND policy_id = ?", accountId, policyId);
        update("DELETE FROM iam_policies WHERE account_id = ? AND policy_id = ?", accountId, policyId);
    }

    private static PolicyVersionRow version(ResultSet rs) throws SQLException {
        return new PolicyVersionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getBytes(6));
    }

    private static final String VERSION = "SELECT account_id, policy_id, version_id, document, created_at, row_mac FROM iam_policy_versions ";

    public List<PolicyVersionRow> policyVersions(String accountId, String policyId) throws SQLException {
        return many(VERSION + "WHERE account_id = ? AND policy_id = ? ORDER BY created_at DESC, version_id DESC",
                IdentityRepository::version, accountId, policyId);
    }

    public Optional<PolicyVersionRow> findPolicyVersion(String accountId, String policyId, String versionId) throws SQLException {
        return one(VERSION + "WHERE account_id = ? AND policy_id = ? AND version_id = ?", IdentityRepository::version,
                accountId, policyId, versionId);
    }

    public void insertPolicyVersion(PolicyVersionRow v) throws SQLException {
        update("INSERT INTO iam_policy_versions (account_id, policy_id, version_id, document, created_at, row_mac) "
                + "VALUES (?, ?, ?, ?, ?, ?)", v.accountId(), v.policyId(), v.versionId(), v.document(), v.createdAt(), v.mac());
    }

    public void deletePolicyVersion(String accountId, String policyId, String versionId) throws SQLException {
        update("DELETE FROM iam_policy_versions WHERE account_id = ? AND policy_id = ? AND version_id = ?",
                accountId, policyId, versionId);
    }

    // ---- attachments ---------------------------------------------------------------------

    private static AttachmentRow attachment(ResultSet rs) throws SQLException {
        return new AttachmentRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getBytes(6));
    }

    private static final String ATTACHMENT = "SELECT account_id, owner_kind, owner_id, policy_arn, attached_at, row_mac FROM iam_attachments ";

    public List<AttachmentRow> attachments(String accountId, String ownerKind, String ownerId) throws SQLException {
        return many(ATTACHMENT + "WHERE account_id = ? AND owner_kind = ? AND owner_id = ? ORDER BY policy_arn",
                IdentityRepository::attachment, accountId, ownerKind, ownerId);
    }

    /** Every attachment of a policy in an account (AWS managed policies are attached per account). */
    public List<AttachmentRow> attachmentsOf(String accountId, String policyArn) throws SQLException {
        return many(ATTACHMENT + "WHERE account_id = ? AND policy_arn = ? ORDER BY owner_kind, owner_id",
                IdentityRepository::attachment, accountId, policyArn);
    }

    public List<AttachmentRow> allAttachments(String accountId) throws SQLException {
        return many(ATTACHMENT + "WHERE account_id = ?", IdentityRepository::attachment, accountId);
    }

    /** Attaches; false when it was attached already. */
    public boolean attach(AttachmentRow a) throws SQLException {
        if (one(ATTACHMENT + "WHERE account_id = ? AND owner_kind = ? AND owner_id = ? AND policy_arn = ?",
                IdentityRepository::attachment, a.accountId(), a.ownerKind(), a.ownerId(), a.policyArn()).isPresent()) {
            return false;
        }
        update("INSERT INTO iam_attachments (account_id, owner_kind, owner_id, policy_arn, attached_at, row_mac) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", a.accountId(), a.ownerKind(), a.ownerId(), a.policyArn(), a.attachedAt(),
                a.mac());
        return true;
    }

    public boolean detach(String accountId, String ownerKind, String ownerId, String policyArn) throws SQLException {
        return update("DELETE FROM iam_attachments WHERE account_id = ? AND owner_kind = ? AND owner_id = ? AND policy_arn = ?",
                accountId, ownerKind, ownerId, policyArn) > 0;
    }

    // ---- OIDC providers ----------------------------------------------------------------------

    private static OidcProviderRow oidc(ResultSet rs) throws SQLException {
        return new OidcProviderRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getBytes(8));
    }

    private static final String OIDC = "SELECT account_id, arn, url, client_ids, thumbprints, tags, created_at, row_mac "
            + "FROM iam_oidc_providers ";

    public Optional<OidcProviderRow> findOidcProvider(String accountId, String arn) throws SQLException {
        return one(OIDC + "WHERE account_id = ? AND arn = ?", IdentityRepository::oidc, accountId, arn);
    }

    public List<OidcProviderRow> oidcProviders(String accountId) throws SQLException {
        return many(OIDC + "WHERE account_id = ? ORDER BY arn", IdentityRepository::oidc, accountId);
    }

    public void insertOidcProvider(OidcProviderRow p) throws SQLException {
        update("INSERT INTO iam_oidc_providers (account_id, arn, url, client_ids, thumbprints, tags, created_at, row_mac) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p.accountId(), p.arn(), p.url(), p.clientIds(), p.thumbprints(),
                p.tags(), p.createdAt(), p.mac());
    }

    public void updateOidcProvider(OidcProviderRow p) throws SQLException {
        update("UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ?, tags = ?, row_mac = ? WHERE account_id = ? AND arn = ?",
                p.clientIds(), p.thumbprints(), p.tags(), p.mac(), p.accountId(), p.arn());
    }

    public void deleteOidcProvider(String accountId, String arn) throws SQLException {
        update("DELETE FROM iam_oidc_providers WHERE account_id = ? AND arn = ?", accountId, arn);
    }

    // ---- plumbing ----------------------------------------------------------------------------

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = many(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> many(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        }
    }

    private int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            tx.touch(ChangeDomain.IDENTITIES);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof byte[] bytes) ps.setBytes(i + 1, bytes);
            else ps.setObject(i + 1, p);
        }
    }
}
