package dev.coffer.server.audit.alerts;

import dev.coffer.server.store.AlertRepository;
import dev.coffer.server.store.AlertRepository.Denials;
import dev.coffer.server.store.AlertRepository.PrincipalProfile;
import dev.coffer.server.store.AlertRepository.Rate;
import dev.coffer.server.store.Transaction;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The baselines one batch of events touches, read from the store once and written back once at its end, so a batch of
 * thousands of reads by a few principals costs a few rows, not thousands of updates.
 */
final class Baselines {
    private final AlertRepository repo;
    private final Map<String, Rate> rates = new LinkedHashMap<>();
    private final Map<String, PrincipalProfile> principals = new LinkedHashMap<>();
    private final Map<String, Denials> denials = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();

    Baselines(Transaction tx) {
        this.repo = tx.alerts();
    }

    Rate rate(char kind, String subject) throws SQLException {
        String key = kind + subject;
        Rate r = rates.get(key);
        if (r == null) {
            r = repo.rate(kind, subject).orElse(null);
            if (r != null) rates.put(key, r);
        }
        return r;
    }

    void put(Rate r) {
        rates.put(r.kind() + r.subject(), r);
    }

    PrincipalProfile principal(String arn) throws SQLException {
        PrincipalProfile p = principals.get(arn);
        if (p == null) {
            p = repo.principal(arn).orElse(null);
            if (p != null) principals.put(arn, p);
        }
        return p;
    }

    void put(PrincipalProfile p) {
        principals.put(p.principal(), p);
    }

    Denials denials(char kind, String key) throws SQLException {
        Denials d = denials.get(kind + key);
        if (d == null) {
            d = repo.denials(kind, key).orElse(null);
            if (d != null) denials.put(kind + key, d);
        }
        return d;
    }

    void put(Denials d) {
        denials.put(d.kind() + d.key(), d);
    }

    /** Whether the principal has called from the network before; if not, it has now (learned at once). */
    boolean learnNetwork(String principal, String network, long time) throws SQLException {
        String key = "N" + principal + '\n' + network;
        if (known.contains(key)) return true;
        boolean seen = repo.knownNetwork(principal, network);
        if (!seen) repo.addNetwork(principal, network, time);
        known.add(key);
        return seen;
    }

    /** Whether the principal has read the secret before; if not, it has now. */
    boolean learnRead(String principal, String secretArn, long time) throws SQLException {
        String key = "R" + principal + '\n' + secretArn;
        if (known.contains(key)) return true;
        boolean seen = repo.hasRead(principal, secretArn);
        if (!seen) repo.addFirstRead(principal, secretArn, time);
        known.add(key);
        return seen;
    }

    void flush() throws SQLException {
        for (Rate r : rates.values()) repo.putRate(r);
        for (PrincipalProfile p : principals.values()) repo.putPrincipal(p);
        for (Denials d : denials.values()) repo.putDenials(d);
    }
}
