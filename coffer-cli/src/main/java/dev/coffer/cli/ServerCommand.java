package dev.coffer.cli;

import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.audit.export.ExportSettings;
import dev.coffer.server.audit.export.FileExport;
import dev.coffer.server.audit.export.SyslogExport;
import dev.coffer.server.audit.export.WebhookExport;
import dev.coffer.server.bootstrap.CofferConfig;
import dev.coffer.server.bootstrap.CofferServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer server}: runs Coffer until SIGTERM or SIGINT, then shuts down cleanly. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run Coffer on the embedded SQLite store in the data directory.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "coffer-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8700", description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--account-id", description = "Account id for a new data directory (default: 12 random digits).")
    String accountId;

    @Option(names = "--regions", split = ",", description = "Regions to accept (default: any well-formed region name).")
    List<String> regions = List.of();

    @Option(names = "--tls-cert", description = "PEM certificate chain for HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key for HTTPS.")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "Serve HTTPS with a generated self-signed certificate.")
    boolean tlsSelfSigned;

    @Option(names = "--insecure-http", description = "Allow plain HTTP on a non-loopback address.")
    boolean insecureHttp;

    @Option(names = "--oidc-jwks", paramLabel = "ISSUER=JWKS",
            description = "Pin an OpenID Connect issuer's signing keys to a JWKS file or URL (repeatable; "
                    + "for air-gapped sites). Other issuers are discovered via ISSUER/.well-known/openid-configuration.")
    Map<String, String> oidcJwks = new LinkedHashMap<>();

    @Option(names = "--storage", paramLabel = "URL",
            description = "Store on PostgreSQL: postgresql://USER@HOST:PORT/DB[?sslmode=verify-full] (default: the embedded "
                    + "SQLite file in the data directory).")
    String storage;

    @Option(names = "--storage-password-file", paramLabel = "FILE",
            description = "The database password (else the environment variable COFFER_STORAGE_PASSWORD).")
    Path storagePasswordFile;

    @Option(names = "--root-key-file", paramLabel = "FILE",
            description = "The root key (default: DATA_DIR/root.key). On PostgreSQL every node is given the same file; "
                    + "the node that initializes an empty database creates it.")
    Path rootKeyFile;

    @Option(names = "--audit-digest-interval", paramLabel = "DURATION", defaultValue = "PT15M",
            description = "How often a digest of the audit chain is signed, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration auditDigestInterval;

    @Option(names = "--audit-signing-key", paramLabel = "FILE",
            description = "The Ed25519 key that signs audit digests (default: DATA_DIR/audit-signing.key, created with its "
                    + ".pub beside it). On PostgreSQL give every node the same file.")
    Path auditSigningKey;

    @Option(names = "--audit-export-file", paramLabel = "DIR[,OPTION=VALUE...]",
            description = "Export the audit trail as JSON lines (one CloudTrail record per line) to files in DIR; options "
                    + "rotate-mb (default 100), rotate-minutes (60), keep-files (0: no limit), keep-days (90; 0: no limit).")
    String auditExportFile;

    @Option(names = "--audit-export-syslog", paramLabel = "URL",
            description = "Export the audit trail to syslog, RFC 5424 over TCP (octet counting): tcp://HOST:PORT, or "
                    + "tcp+tls://HOST:PORT for TLS.")
    String auditExportSyslog;

    @Option(names = "--audit-export-syslog-ca-file", paramLabel = "FILE",
            description = "PEM certificates to trust for the syslog receiver (default: the JDK's trust store).")
    Path auditExportSyslogCaFile;

    @Option(names = "--audit-export-webhook", paramLabel = "URL",
            description = "POST the audit trail in batches ({\"events\":[...]}) to this https URL (http only to loopback).")
    String auditExportWebhook;

    @Option(names = "--audit-export-webhook-secret-file", paramLabel = "FILE",
            description = "A shared key (at least 16 bytes) to sign webhook bodies with: header X-Coffer-Signature-256: "
                    + "sha256=HMAC-SHA256(key, body).")
    Path auditExportWebhookSecretFile;

    @Option(names = "--audit-export-webhook-ca-file", paramLabel = "FILE",
            description = "PEM certificates to trust for the webhook receiver (default: the JDK's trust store).")
    Path auditExportWebhookCaFile;

    @Option(names = "--audit-export-webhook-insecure-http",
            description = "Allow an http:// webhook URL on a non-loopback host (the audit trail travels in the clear).")
    boolean auditExportWebhookInsecureHttp;

    @Option(names = "--no-durable-audit", hidden = true,
            description = "Keep only the access log, no durable audit trail: for measuring what the trail costs, never in use.")
    boolean noDurableAudit;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        int colon = listen.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--listen takes HOST:PORT, got " + listen);
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(listen.substring(colon + 1));
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        CofferConfig config = new CofferConfig(dataDir, host, port, accountId, new LinkedHashSet<>(regions), tlsCert, tlsKey,
                tlsSelfSigned, insecureHttp, Duration.ofMinutes(1), oidcJwks)
                .withStorage(storage, StoreOptions.password(storagePasswordFile), rootKeyFile)
                .withAudit(new AuditSettings(!noDurableAudit, auditDigestInterval, auditSigningKey))
                .withExports(exportSettings());

        CofferServer server = CofferServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println("Coffer stopped");
            out.flush();
            stopped.countDown();
        }, "coffer-shutdown"));
        out.println("Coffer ready at " + server.endpoint() + " (account " + server.accountId() + "); administrator credentials: "
                + server.adminCredentialsFile().toAbsolutePath() + " [profile " + server.adminProfile() + "]");
        out.flush();
        stopped.await();
        return 0;
    }

    ExportSettings exportSettings() {
        if (auditExportSyslog == null && auditExportSyslogCaFile != null) {
            throw new IllegalArgumentException("--audit-export-syslog-ca-file goes with --audit-export-syslog");
        }
        if (auditExportWebhook == null && (auditExportWebhookSecretFile != null || auditExportWebhookCaFile != null
                || auditExportWebhookInsecureHttp)) {
            throw new IllegalArgumentException("the --audit-export-webhook-* options go with --audit-export-webhook");
        }
        return new ExportSettings(
                auditExportFile == null ? null : FileExport.parse(auditExportFile),
                auditExportSyslog == null ? null : SyslogExport.parse(auditExportSyslog, auditExportSyslogCaFile),
                auditExportWebhook == null ? null : WebhookExport.parse(auditExportWebhook, auditExportWebhookSecretFile,
                        auditExportWebhookCaFile, auditExportWebhookInsecureHttp));
    }
}
