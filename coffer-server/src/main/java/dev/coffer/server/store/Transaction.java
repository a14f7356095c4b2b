package dev.coffer.server.store;

import java.sql.Connection;

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

    Transaction(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    public SecretRepository secrets() {
        if (secrets == null) secrets = new SecretRepository(connection);
        return secrets;
    }

    public KeyringRepository keyring() {
        if (keyring == null) keyring = new KeyringRepository(connection);
        return keyring;
    }

    public AccessKeyRepository accessKeys() {
        if (accessKeys == null) accessKeys = new AccessKeyRepository(connection);
        return accessKeys;
    }

    public MetaRepository meta() {
        if (meta == null) meta = new MetaRepository(connection);
        return meta;
    }
}
