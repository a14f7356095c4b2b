package dev.coffer.server.bootstrap;

import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.audit.export.ExportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Everything a Coffer server is started with.
 *
 * @param listenHost      address to bind; anything but loopback needs TLS or {@code insecureHttp}
 * @param listenPort      0 picks a free port
 * @param accountId       null: 12 random digits on first start
 * @param regions         accepted regions; empty: any well-formed region name
 * @param tlsCertificate  PEM chain, with {@code tlsKey}; or null
 * @param tlsSelfSigned   generate a self-signed certificate
 * @param purgeInterval   how often secrets past their recovery window are purged
 * @param oidcJwks        OpenID Connect issuer URL → a JWKS file or URL that pins its signing keys
 *                        (air-gapped sites); issuers not named here are discovered the standard way
 * @param storage         where the store is: null for the embedded SQLite file in the data directory, or
 *                        {@code postgresql://USER@HOST:PORT/DB[?sslmode=…]}
 * @param storagePassword the database password (from --storage-password-file or COFFER_STORAGE_PASSWORD), or null
 * @param rootKeyFile     the root key; null for {@code root.key} in the data directory. With PostgreSQL every
 *                        node is given the same file, created by the node that initializes an empty database
 * @param audit           the audit trail's settings (digest interval, signing key); null for the defaults
 * @param exports         where the audit trail is exported (files, syslog, webhook); null for nowhere
 */
public record CofferConfig(Path dataDir, String listenHost, int listenPort, String accountId, Set<String> regions,
                           Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned, boolean insecureHttp,
                           Duration purgeInterval, Map<String, String> oidcJwks, String storage, String storagePassword,
                           Path rootKeyFile, AuditSettings audit, ExportSettings exports) {

    public CofferConfig {
        oidcJwks = oidcJwks == null ? Map.of() : Map.copyOf(oidcJwks);
        if (audit == null) audit = AuditSettings.defaults();
        if (exports == null) exports = ExportSettings.none();
    }

    public CofferConfig(Path dataDir, String listenHost, int listenPort, String accountId, Set<String> regions,
                        Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned, boolean insecureHttp,
                        Duration purgeInterval, Map<String, String> oidcJwks, String storage, String storagePassword,
                        Path rootKeyFile, AuditSettings audit) {
        this(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned, insecureHttp,
                purgeInterval, oidcJwks, storage, storagePassword, rootKeyFile, audit, null);
    }

    public CofferConfig(Path dataDir, String listenHost, int listenPort, String accountId, Set<String> regions,
                        Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned, boolean insecureHttp,
                        Duration purgeInterval, Map<String, String> oidcJwks, String storage, String storagePassword,
                        Path rootKeyFile) {
        this(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned, insecureHttp,
                purgeInterval, oidcJwks, storage, storagePassword, rootKeyFile, null);
    }

    public CofferConfig withAudit(AuditSettings settings) {
        return new CofferConfig(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, purgeInterval, oidcJwks, storage, storagePassword, rootKeyFile, settings, exports);
    }

    public CofferConfig withExports(ExportSettings settings) {
        return new CofferConfig(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, purgeInterval, oidcJwks, storage, storagePassword, rootKeyFile, audit, settings);
    }

    public CofferConfig(Path dataDir, String listenHost, int listenPort, String accountId, Set<String> regions,
                        Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned, boolean insecureHttp,
                        Duration purgeInterval, Map<String, String> oidcJwks) {
        this(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned, insecureHttp,
                purgeInterval, oidcJwks, null, null, null);
    }

    @Override
    public String toString() {
        return "CofferConfig[" + dataDir + ", " + listenHost + ":" + listenPort + ", storage=" + storage + "]"; // no password
    }

    public CofferConfig withStorage(String storageUrl, String password, Path rootKey) {
        return new CofferConfig(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, purgeInterval, oidcJwks, storageUrl, password, rootKey, audit, exports);
    }

    public CofferConfig(Path dataDir, String listenHost, int listenPort, String accountId, Set<String> regions,
                        Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned, boolean insecureHttp,
                        Duration purgeInterval) {
        this(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned, insecureHttp,
                purgeInterval, Map.of());
    }

    public static CofferConfig defaults(Path dataDir) {
        return new CofferConfig(dataDir, "127.0.0.1", 8700, null, Set.of(), null, null, false, false, Duration.ofMinutes(1));
    }

    public CofferConfig withListen(String host, int port) {
        return new CofferConfig(dataDir, host, port, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, purgeInterval, oidcJwks, storage, storagePassword, rootKeyFile, audit, exports);
    }

    public CofferConfig withPurgeInterval(Duration every) {
        return new CofferConfig(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, every, oidcJwks, storage, storagePassword, rootKeyFile, audit, exports);
    }

    public CofferConfig withOidcJwks(Map<String, String> issuerToJwks) {
        return new CofferConfig(dataDir, listenHost, listenPort, accountId, regions, tlsCertificate, tlsKey, tlsSelfSigned,
                insecureHttp, purgeInterval, issuerToJwks, storage, storagePassword, rootKeyFile, audit, exports);
    }

    public boolean tls() {
        return tlsSelfSigned || tlsCertificate != null;
    }
}
