package dev.coffer.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The audit alert engine's state (V7__alerts.sql): its cursor in the audit log and the baselines it learns from
 * it. The rules themselves are the alerts package's; this is plain JDBC over portable SQL (a put is an update,
 * else an insert: the engine runs as a singleton job, in units that re-read what they change). Like the audit
 * trail's writes, these mark no {@link ChangeDomain}: learning a baseline must not flush any cache.
 */
public final class AlertRepository {
    /** Where the engine is in the audit log, and when it first ran. */
    public record State(long processedUpTo, long startedAt) {}

    /**
     * A read rate: this hour's count and the decayed mean and variance of the hours before it.
     *
     * @param kind       'P' for a principal, 'S' for a secret
     * @param bucketHour the current hour, in hours since the epoch
     * @param hours      how many hourly counts the mean has taken in
     */
    public record Rate(char kind, String subject, long firstSeen, long bucketHour, long bucketCount, double mean,
                       double variance, long hours) {}

    /** @param activeHours bit h set: the principal was active in hour h of the day (UTC) */
    public record PrincipalProfile(String principal, long firstSeen, int activeHours) {}

    /** @param kind 'P' for a principal, 'I' for a source IP */
    public record Denials(char kind, String key, long windowStart, long denials) {}

    private final Connection c;

    AlertRepository(Connection c) {
        this.c = c;
    }

    /** The engine's state, taken for this unit (on PostgreSQL the engines of several nodes then take turns). */
    public Optional<State> lockState() throws SQLException {
        if (c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")) {
            try (var st = c.createStatement()) {
                st.execute("LOCK TABLE alert_state IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        return state();
    }

    public Optional<State> state() throws SQLException {
        try (var ps = c.prepareStatement("SELECT processed_upto, started_at FROM alert_state WHERE state_id = 1");
             var rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new State(rs.getLong(1), rs.getLong(2))) : Optional.empty();
        }
    }

    public void putState(State s) throws SQLException {
        if (update("UPDATE alert_state SET processed_upto = ?, started_at = ? WHERE state_id = 1", s.processedUpTo(),
                s.startedAt()) == 0) {
            update("INSERT INTO alert_state (state_id, processed_upto, started_at) VALUES (1, ?, ?)", s.processedUpTo(),
                    s.startedAt());
        }
    }

    public Optional<Rate> rate(char kind, String subject) throws SQLException {
        try (var ps = c.prepareStatement("SELECT first_seen, bucket_hour, bucket_count, mean_micros, variance_micros, hours FROM alert_rates "
                + "WHERE subject_kind = ? AND subject = ?")) {
            ps.setString(1, String.valueOf(kind));
            ps.setString(2, subject);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Rate(kind, subject, rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        fromMicros(rs.getLong(4)), fromMicros(rs.getLong(5)), rs.getLong(6))) : Optional.empty();
            }
        }
    }

    public void putRate(Rate r) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE alert_rates SET first_seen = ?, bucket_hour = ?, bucket_count = ?, mean_micros = ?, "
                + "variance_micros = ?, hours = ? WHERE subject_kind = ? AND subject = ?")) {
            rateValues(ps, r);
            ps.setString(7, String.valueOf(r.kind()));
            ps.setString(8, r.subject());
            if (ps.executeUpdate() == 1) return;
        }
        try (var ps = c.prepareStatement("INSERT INTO alert_rates (first_seen, bucket_hour, bucket_count, mean_micros, variance_micros, hours, "
                + "subject_kind, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            rateValues(ps, r);
            ps.setString(7, String.valueOf(r.kind()));
            ps.setString(8, r.subject());
            ps.executeUpdate();
        }
    }

    private static void rateValues(PreparedStatement ps, Rate r) throws SQLException {
        ps.setLong(1, r.firstSeen());
        ps.setLong(2, r.bucketHour());
        ps.setLong(3, r.bucketCount());
        ps.setLong(4, toMicros(r.mean()));
        ps.setLong(5, toMicros(r.variance()));
        ps.setLong(6, r.hours());
    }

    /** Stored in millionths, as whole numbers (the snapshot format carries no floating point). */
    static long toMicros(double x) {
        return Math.round(Math.min(x, Long.MAX_VALUE / 1e6) * 1e6);
    }

    static double fromMicros(long micros) {
        return micros / 1e6;
    }

    public Optional<PrincipalProfile> principal(String principal) throws SQLException {
        try (var ps = c.prepareStatement("SELECT first_seen, active_hours FROM alert_principals WHERE principal = ?")) {
            ps.setString(1, principal);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new PrincipalProfile(principal, rs.getLong(1), rs.getInt(2))) : Optional.empty();
            }
        }
    }

    public void putPrincipal(PrincipalProfile p) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE alert_principals SET first_seen = ?, active_hours = ? WHERE principal = ?")) {
            ps.setLong(1, p.firstSeen());
            ps.setInt(2, p.activeHours());
            ps.setString(3, p.principal());
            if (ps.executeUpdate() == 1) return;
        }
        try (var ps = c.prepareStatement("INSERT INTO alert_principals (first_seen, active_hours, principal) VALUES (?, ?, ?)")) {
            ps.setLong(1, p.firstSeen());
            ps.setInt(2, p.activeHours());
            ps.setString(3, p.principal());
            ps.executeUpdate();
        }
    }

    public boolean knownNetwork(String principal, String network) throws SQLException {
        return exists("SELECT 1 FROM alert_networks WHERE principal = ? AND network = ?", principal, network);
    }

    public void addNetwork(String principal, String network, long at) throws SQLException {
        insert("INSERT INTO alert_networks (principal, network, first_seen) VALUES (?, ?, ?)", principal, network, at);
    }

    public boolean hasRead(String principal, String secretArn) throws SQLException {
        return exists("SELECT 1 FROM alert_first_reads WHERE principal = ? AND secret_arn = ?", principal, secretArn);
    }

    public void addFirstRead(String principal, String secretArn, long at) throws SQLException {
        insert("INSERT INTO alert_first_reads (principal, secret_arn, first_read) VALUES (?, ?, ?)", principal, secretArn, at);
    }

    public Optional<Denials> denials(char kind, String key) throws SQLException {
        try (var ps = c.prepareStatement("SELECT window_start, denials FROM alert_denials WHERE key_kind = ? AND denial_key = ?")) {
            ps.setString(1, String.valueOf(kind));
            ps.setString(2, key);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Denials(kind, key, rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    public void putDenials(Denials d) throws SQLException {
        try (var ps = c.prepareStatement("UPDATE alert_denials SET window_start = ?, denials = ? WHERE key_kind = ? AND denial_key = ?")) {
            ps.setLong(1, d.windowStart());
            ps.setLong(2, d.denials());
            ps.setString(3, String.valueOf(d.kind()));
            ps.setString(4, d.key());
            if (ps.executeUpdate() == 1) return;
        }
        try (var ps = c.prepareStatement("INSERT INTO alert_denials (window_start, denials, key_kind, denial_key) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, d.windowStart());
            ps.setLong(2, d.denials());
            ps.setString(3, String.valueOf(d.kind()));
            ps.setString(4, d.key());
            ps.executeUpdate();
        }
    }

    /** Records that an alert was raised for (rule, subject, window); false when one already was. */
    public boolean markRaised(String rule, String subject, String windowKey, long at) throws SQLException {
        if (exists("SELECT 1 FROM alert_raised WHERE rule = ? AND subject = ? AND window_key = ?", rule, subject, windowKey)) {
            return false;
        }
        try (var ps = c.prepareStatement("INSERT INTO alert_raised (rule, subject, window_key, raised_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, rule);
            ps.setString(2, subject);
            ps.setString(3, windowKey);
            ps.setLong(4, at);
            ps.executeUpdate();
        }
        return true;
    }

    private boolean exists(String sql, String a, String b) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean exists(String sql, String a, String b, String d) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.setString(3, d);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void insert(String sql, String a, String b, long at) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.setLong(3, at);
            ps.executeUpdate();
        }
    }

    private int update(String sql, long a, long b) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            return ps.executeUpdate();
        }
    }
}
