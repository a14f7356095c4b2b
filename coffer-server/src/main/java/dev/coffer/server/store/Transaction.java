package dev.coffer.server.store;

import java.sql.Connection;
import java.util.EnumSet;
import java.util.Set;

/**
 * One open transaction and the repositories that work within it. Repositories are
 * plain JDBC over portable SQL, so both engines share them.
 */
public final class Transaction {
    private final Connection connection;
    private SecretRepository secrets;
    private KeyringRepository keyring;
    private AccessKeyRepository accessKeys;
    private MetaRepository meta;
    private OrganizationRepository organization;
    private IdentityRepository identities;
    private LeaseRepository leases;
    private AuditRepository audit;
    private AuditExportRepository auditExports;
    private AlertRepository alerts;
    private final EnumSet<ChangeDomain> touched = EnumSet.noneOf(ChangeDomain.class);

    Transaction(Connection connection) {
        this.connection = connection;
    }

    /** Repositories call this for every write, so the engine knows which caches the commit invalidates. */
    void touch(ChangeDomain domain) {
        touched.add(domain);
    }

    /** The domains this unit of work wrote to. */
    Set<ChangeDomain> touched() {
        return touched;
    }

    Connection connection() {
        return connection;
    }

    public SecretRepository secrets() {
        if (secrets == null) secrets = new SecretRepository(connection, this);
        return secrets;
    }

    public KeyringRepository keyring() {
        if (keyring == null) keyring = new KeyringRepository(connection, this);
        return keyring;
    }

    public AccessKeyRepository accessKeys() {
        if (accessKeys == null) accessKeys = new AccessKeyRepository(connection, this);
        return accessKeys;
    }

    public IdentityRepository identities() {
        if (identities == null) identities = new IdentityRepository(connection, this);
        return identities;
    }

    public MetaRepository meta() {
        if (meta == null) meta = new MetaRepository(connection, this);
        return meta;
    }

    public LeaseRepository leases() {
        if (leases == null) leases = new LeaseRepository(connection);
        return leases;
    }

    public AuditRepository audit() {
        if (audit == null) audit = new AuditRepository(connection);
        return audit;
    }

    public AuditExportRepository auditExports() {
        if (auditExports == null) auditExports = new AuditExportRepository(connection);
        return auditExports;
    }

    public AlertRepository alerts() {
        if (alerts == null) alerts = new AlertRepository(connection);
        return alerts;
    }

    public OrganizationRepository organization() {
        if (organization == null) organization = new OrganizationRepository(connection, this);
        return organization;
    }
}
