package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Secrets, their versions, staging labels, tags and replica regions. */
public final class SecretRepository {
    private static final String SECRET_COLUMNS =
            "secret_id, account_id, region, name, arn, description, kms_key_id, created_at, last_changed_at, "
                    + "last_accessed_at, deleted_at, deletion_date, rotation_enabled, rotation_lambda_arn, rotation_rules, "
                    + "last_rotated_at, next_rotation_at, tagged, resource_policy, primary_secret_id, primary_region";

    /** The columns a secret's row may change after creation, in the order {@link #bindMutable} binds them. */
    private static final List<String> MUTABLE_COLUMNS = List.of("description", "kms_key_id", "last_changed_at",
            "last_accessed_at", "deleted_at", "deletion_date", "rotation_enabled", "rotation_lambda_arn", "rotation_rules",
            "last_rotated_at", "next_rotation_at", "tagged", "resource_policy", "primary_secret_id", "primary_region");
    private static final String INSERT_SECRET = "INSERT INTO secrets (secret_id, account_id, region, name, arn, created_at, "
            + String.join(", ", MUTABLE_COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?" + ", ?".repeat(MUTABLE_COLUMNS.size()) + ")";
    private static final String UPDATE_SECRET = "UPDATE secrets SET " + String.join(" = ?, ", MUTABLE_COLUMNS)
            + " = ? WHERE secret_id = ?";

    private final Connection c;
    private final Transaction tx;

    SecretRepository(Connection c, Transaction tx) {
        this.c = c;
        this.tx = tx;
    }

    // ---- secrets -------------------------------------------------------------------

    public Optional<SecretRow> findByName(String accountId, String region, String name) throws SQLException {
        return one("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE account_id = ? AND region = ? AND name = ?",
                accountId, region, name);
    }

    public Optional<SecretRow> findByArn(String arn) throws SQLException {
        return one("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE arn = ?", arn);
    }

    public Optional<SecretRow> findById(String secretId) throws SQLException {
        return one("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE secret_id = ?", secretId);
    }

    public List<SecretRow> listInRegion(String accountId, String region) throws SQLException {
        return many("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE account_id = ? AND region = ?", accountId, region);
    }

    /** The regions in which an account has secrets (each region is its own namespace). */
    public List<String> regionsOf(String accountId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT DISTINCT region FROM secrets WHERE account_id = ? ORDER BY region")) {
            ps.setString(1, accountId);
            try (var rs = ps.executeQuery()) {
                List<String> regions = new java.util.ArrayList<>();
                while (rs.next()) regions.add(rs.getString(1));
                return regions;
            }
        }
    }

    public List<SecretRow> replicasOf(String primarySecretId) throws SQLException {
        return many("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE primary_secret_id = ?", primarySecretId);
    }

    /** Secrets whose recovery window has ended at {@code nowMillis}. */
    public List<SecretRow> dueForPurge(long nowMillis, int limit) throws SQLException {
        try (var ps = c.prepareStatement("SELECT " + SECRET_COLUMNS
                + " FROM secrets WHERE deletion_date IS NOT NULL AND deletion_date <= ? ORDER BY deletion_date LIMIT ?")) {
            ps.setLong(1, nowMillis);
            ps.setInt(2, limit);
            return rows(ps);
        }
    }

    public void insert(SecretRow s) throws SQLException {
        try (var ps = c.prepareStatement(INSERT_SECRET)) {
            ps.setString(1, s.secretId());
            ps.setString(2, s.accountId());
            ps.setString(3, s.region());
            ps.setString(4, s.name());
            ps.setString(5, s.arn());
            ps.setLong(6, s.createdAt());
            bindMutable(ps, s, 7);
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    /** Rewrites every mutable column of the row (read-modify-write inside one transaction). */
    public void update(SecretRow s) throws SQLException {
        try (var ps = c.prepareStatement(UPDATE_SECRET)) {
            int next = bindMutable(ps, s, 1);
            ps.setString(next, s.secretId());
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    /** Records a read at day granularity; only ever moves the date forward. */
    public void markAccessed(String secretId, String versionOwnerId, String versionId, long dayMillis) throws SQLException {
        try (var ps = c.prepareStatement(
                "UPDATE secrets SET last_accessed_at = ? WHERE secret_id = ? AND (last_accessed_at IS NULL OR last_accessed_at < ?)")) {
            ps.setLong(1, dayMillis);
            ps.setString(2, secretId);
            ps.setLong(3, dayMillis);
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("UPDATE secret_versions SET last_accessed_at = ? "
                + "WHERE secret_id = ? AND version_id = ? AND (last_accessed_at IS NULL OR last_accessed_at < ?)")) {
            ps.setLong(1, dayMillis);
            ps.setString(2, versionOwnerId);
            ps.setString(3, versionId);
            ps.setLong(4, dayMillis);
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    /** Deletes the secret with its versions, labels, tags and replica statuses. */
    public void delete(String secretId) throws SQLException {
        // Children first: SQLite only cascades with foreign_keys on, so do not rely on it.
        execute("DELETE FROM version_stages WHERE secret_id = ?", secretId);
        execute("DELETE FROM secret_versions WHERE secret_id = ?", secretId);
        execute("DELETE FROM secret_tags WHERE secret_id = ?", secretId);
        execute("DELETE FROM replica_regions WHERE secret_id = ?", secretId);
        execute("DELETE FROM secrets WHERE secret_id = ?", secretId);
    }

    // ---- versions and labels -------------------------------------------------------

    public Optional<VersionRow> findVersion(String secretId, String versionId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT secret_id, version_id, created_at, last_accessed_at, value_type, sealed_value, key_id "
                + "FROM secret_versions WHERE secret_id = ? AND version_id = ?")) {
            ps.setString(1, secretId);
            ps.setString(2, versionId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(version(rs)) : Optional.empty();
            }
        }
    }

    /** The version holding {@code stage}, if any: one indexed join, the GetSecretValue hot path. */
    public Optional<VersionRow> findVersionByStage(String secretId, String stage) throws SQLException {
        try (var ps = c.prepareStatement("SELECT v.secret_id, v.version_id, v.created_at, v.last_accessed_at, v.value_type, "
                + "v.sealed_value, v.key_id FROM version_stages s JOIN secret_versions v "
                + "ON v.secret_id = s.secret_id AND v.version_id = s.version_id WHERE s.secret_id = ? AND s.stage = ?")) {
            ps.setString(1, secretId);
            ps.setString(2, stage);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(version(rs)) : Optional.empty();
            }
        }
    }

    /** Every version's metadata (no sealed values), oldest first. */
    public List<VersionRow> versions(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT secret_id, version_id, created_at, last_accessed_at, value_type, key_id "
                + "FROM secret_versions WHERE secret_id = ? ORDER BY created_at, version_id")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                List<VersionRow> out = new ArrayList<>();
                while (rs.next()) {
                    long accessed = rs.getLong(4);
                    Long lastAccessed = rs.wasNull() ? null : accessed;
                    out.add(new VersionRow(rs.getString(1), rs.getString(2), rs.getLong(3), lastAccessed,
                            rs.getString(5).charAt(0), null, rs.getInt(6)));
                }
                return out;
            }
        }
    }

    public int countVersions(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT COUNT(*) FROM secret_versions WHERE secret_id = ?")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Ids of versions with no staging label created before {@code cutoff}, oldest first. */
    public List<String> unlabelledVersionsCreatedBefore(String secretId, long cutoff, int limit) throws SQLException {
        try (var ps = c.prepareStatement("SELECT v.version_id FROM secret_versions v WHERE v.secret_id = ? AND v.created_at < ? "
                + "AND NOT EXISTS (SELECT 1 FROM version_stages s WHERE s.secret_id = v.secret_id AND s.version_id = v.version_id) "
                + "ORDER BY v.created_at, v.version_id LIMIT ?")) {
            ps.setString(1, secretId);
            ps.setLong(2, cutoff);
            ps.setInt(3, limit);
            try (var rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    public void insertVersion(VersionRow v) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO secret_versions (secret_id, version_id, created_at, last_accessed_at, "
                + "value_type, sealed_value, key_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.secretId());
            ps.setString(2, v.versionId());
            ps.setLong(3, v.createdAt());
            setLong(ps, 4, v.lastAccessedAt());
            ps.setString(5, String.valueOf(v.valueType()));
            ps.setBytes(6, v.sealedValue());
            ps.setInt(7, v.keyId());
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    public void deleteVersion(String secretId, String versionId) throws SQLException {
        execute("DELETE FROM version_stages WHERE secret_id = ? AND version_id = ?", secretId, versionId);
        execute("DELETE FROM secret_versions WHERE secret_id = ? AND version_id = ?", secretId, versionId);
    }

    /** versionId → its labels, in label order; versions without labels are absent. */
    public Map<String, List<String>> stages(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT version_id, stage FROM version_stages WHERE secret_id = ? ORDER BY version_id, stage")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                Map<String, List<String>> out = new LinkedHashMap<>();
                while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                return out;
            }
        }
    }

    public List<String> stagesOf(String secretId, String versionId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT stage FROM version_stages WHERE secret_id = ? AND version_id = ? ORDER BY stage")) {
            ps.setString(1, secretId);
            ps.setString(2, versionId);
            try (var rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    /** Puts {@code stage} on {@code versionId}, taking it from whichever version held it. */
    public void setStage(String secretId, String stage, String versionId) throws SQLException {
        execute("DELETE FROM version_stages WHERE secret_id = ? AND stage = ?", secretId, stage);
        execute("INSERT INTO version_stages (secret_id, stage, version_id) VALUES (?, ?, ?)", secretId, stage, versionId);
    }

    public void removeStage(String secretId, String stage) throws SQLException {
        execute("DELETE FROM version_stages WHERE secret_id = ? AND stage = ?", secretId, stage);
    }

    // ---- tags ------------------------------------------------------------------------

    public List<TagRow> tags(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT tag_key, tag_value FROM secret_tags WHERE secret_id = ? ORDER BY position")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                List<TagRow> out = new ArrayList<>();
                while (rs.next()) out.add(new TagRow(rs.getString(1), rs.getString(2)));
                return out;
            }
        }
    }

    /** secretId → tags for every secret in a region, for listing without N+1 queries. */
    public Map<String, List<TagRow>> tagsInRegion(String accountId, String region) throws SQLException {
        try (var ps = c.prepareStatement("SELECT t.secret_id, t.tag_key, t.tag_value FROM secret_tags t JOIN secrets s "
                + "ON s.secret_id = t.secret_id WHERE s.account_id = ? AND s.region = ? ORDER BY t.secret_id, t.position")) {
            ps.setString(1, accountId);
            ps.setString(2, region);
            try (var rs = ps.executeQuery()) {
                Map<String, List<TagRow>> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new TagRow(rs.getString(2), rs.getString(3)));
                }
                return out;
            }
        }
    }

    /** secretId → versionId → labels for every secret in a region. */
    public Map<String, Map<String, List<String>>> stagesInRegion(String accountId, String region) throws SQLException {
        try (var ps = c.prepareStatement("SELECT s.secret_id, vs.version_id, vs.stage FROM secrets s JOIN version_stages vs "
                + "ON vs.secret_id = COALESCE(s.primary_secret_id, s.secret_id) WHERE s.account_id = ? AND s.region = ? "
                + "ORDER BY s.secret_id, vs.version_id, vs.stage")) {
            ps.setString(1, accountId);
            ps.setString(2, region);
            try (var rs = ps.executeQuery()) {
                Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3));
                }
                return out;
            }
        }
    }

    /**
     * secretId → creation time of the version labelled AWSCURRENT, for every secret of an account (a replica
     * answers for its primary's version), so a report needs one query, not one per secret.
     */
    public Map<String, Long> currentVersionCreatedAt(String accountId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT s.secret_id, v.created_at FROM secrets s JOIN version_stages vs "
                + "ON vs.secret_id = COALESCE(s.primary_secret_id, s.secret_id) AND vs.stage = 'AWSCURRENT' "
                + "JOIN secret_versions v ON v.secret_id = vs.secret_id AND v.version_id = vs.version_id "
                + "WHERE s.account_id = ?")) {
            ps.setString(1, accountId);
            try (var rs = ps.executeQuery()) {
                Map<String, Long> out = new LinkedHashMap<>();
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
                return out;
            }
        }
    }

    /** secretId → tags for every secret of an account, in every region. */
    public Map<String, List<TagRow>> tagsOfAccount(String accountId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT t.secret_id, t.tag_key, t.tag_value FROM secret_tags t JOIN secrets s "
                + "ON s.secret_id = t.secret_id WHERE s.account_id = ? ORDER BY t.secret_id, t.position")) {
            ps.setString(1, accountId);
            try (var rs = ps.executeQuery()) {
                Map<String, List<TagRow>> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new TagRow(rs.getString(2), rs.getString(3)));
                }
                return out;
            }
        }
    }

    /** Every secret of an account, in every region (replicas and secrets scheduled for deletion included). */
    public List<SecretRow> listOfAccount(String accountId) throws SQLException {
        return many("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE account_id = ? ORDER BY region, name", accountId);
    }

    public void replaceTags(String secretId, List<TagRow> tags) throws SQLException {
        execute("DELETE FROM secret_tags WHERE secret_id = ?", secretId);
        try (var ps = c.prepareStatement("INSERT INTO secret_tags (secret_id, tag_key, tag_value, position) VALUES (?, ?, ?, ?)")) {
            int position = 0;
            for (TagRow t : tags) {
                ps.setString(1, secretId);
                ps.setString(2, t.key());
                ps.setString(3, t.value());
                ps.setInt(4, position++);
                ps.addBatch();
            }
            if (!tags.isEmpty()) ps.executeBatch();
        }
    }

    // ---- replica regions -------------------------------------------------------------

    public List<ReplicaRow> replicaRegions(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT secret_id, region, kms_key_id, status, status_message FROM replica_regions "
                + "WHERE secret_id = ? ORDER BY region")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                List<ReplicaRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ReplicaRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
                return out;
            }
        }
    }

    public void putReplicaRegion(ReplicaRow r) throws SQLException {
        execute("DELETE FROM replica_regions WHERE secret_id = ? AND region = ?", r.secretId(), r.region());
        execute("INSERT INTO replica_regions (secret_id, region, kms_key_id, status, status_message) VALUES (?, ?, ?, ?, ?)",
                r.secretId(), r.region(), r.kmsKeyId(), r.status(), r.statusMessage());
    }

    public void removeReplicaRegion(String secretId, String region) throws SQLException {
        execute("DELETE FROM replica_regions WHERE secret_id = ? AND region = ?", secretId, region);
    }

    // ---- helpers -------------------------------------------------------------------------

    private Optional<SecretRow> one(String sql, String... args) throws SQLException {
        List<SecretRow> rows = many(sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private List<SecretRow> many(String sql, String... args) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            return rows(ps);
        }
    }

    private static List<SecretRow> rows(PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            List<SecretRow> out = new ArrayList<>();
            while (rs.next()) out.add(secret(rs));
            return out;
        }
    }

    private void execute(String sql, String... args) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    private static SecretRow secret(ResultSet rs) throws SQLException {
        return new SecretRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), getLong(rs, 10), getLong(rs, 11),
                getLong(rs, 12), rs.getInt(13) == 1, rs.getString(14), rs.getString(15), getLong(rs, 16), getLong(rs, 17),
                rs.getInt(18) == 1, rs.getString(19), rs.getString(20), rs.getString(21));
    }

    private static VersionRow version(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString(1), rs.getString(2), rs.getLong(3), getLong(rs, 4), rs.getString(5).charAt(0),
                rs.getBytes(6), rs.getInt(7));
    }

    /** Secrets with a resource policy but no MAC beside it: written before policies carried MACs. */
    public List<SecretRow> withUnsealedResourcePolicy() throws SQLException {
        return many("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE resource_policy IS NOT NULL AND resource_policy_mac IS NULL");
    }

    /** The MAC of a secret's resource policy (computed above the store), or null when none was written. */
    public byte[] resourcePolicyMac(String secretId) throws SQLException {
        try (var ps = c.prepareStatement("SELECT resource_policy_mac FROM secrets WHERE secret_id = ?")) {
            ps.setString(1, secretId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    public void setResourcePolicyMac(String secretId, byte[] mac) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE secrets SET resource_policy_mac = ? WHERE secret_id = ?")) {
            ps.setBytes(1, mac);
            ps.setString(2, secretId);
            tx.touch(ChangeDomain.SECRETS);
            ps.executeUpdate();
        }
    }

    /** Binds the columns of {@link #MUTABLE_COLUMNS} from {@code index} on; returns the next free index. */
    private static int bindMutable(PreparedStatement ps, SecretRow s, int index) throws SQLException {
        int i = index;
        ps.setString(i++, s.description());
        ps.setString(i++, s.kmsKeyId());
        ps.setLong(i++, s.lastChangedAt());
        setLong(ps, i++, s.lastAccessedAt());
        setLong(ps, i++, s.deletedAt());
        setLong(ps, i++, s.deletionDate());
        ps.setInt(i++, s.rotationEnabled() ? 1 : 0);
        ps.setString(i++, s.rotationLambdaArn());
        ps.setString(i++, s.rotationRules());
        setLong(ps, i++, s.lastRotatedAt());
        setLong(ps, i++, s.nextRotationAt());
        ps.setInt(i++, s.tagged() ? 1 : 0);
        ps.setString(i++, s.resourcePolicy());
        ps.setString(i++, s.primarySecretId());
        ps.setString(i++, s.primaryRegion());
        return i;
    }

    private static Long getLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }
}
