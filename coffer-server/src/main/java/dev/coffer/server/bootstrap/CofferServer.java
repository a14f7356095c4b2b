package dev.coffer.server.bootstrap;

import dev.coffer.server.audit.export.AuditExports;
import dev.coffer.server.audit.alerts.AlertSettings;
import dev.coffer.server.cluster.SingletonJobs;
import dev.coffer.server.http.HttpEdge;
import dev.coffer.server.identities.AwsManagedPolicies;
import dev.coffer.server.identities.RowMacs;
import dev.coffer.server.http.TlsMaterial;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.request.RequestPipeline;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.secrets.SecretPurger;
import dev.coffer.server.store.PostgresStore;
import dev.coffer.server.store.SqliteStore;
import dev.coffer.server.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Coffer server: explicit wiring by constructors, in the order of the request
 * path from the bottom up (store → keyring → services → pipeline → HTTP edge). No
 * reflection, no container: this class is the whole dependency graph.
 */
public final class CofferServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CofferServer.class);

    private final DataDirectory dataDir;
    private final Store store;
    private final HttpEdge edge;
    private final SingletonJobs jobs;
    private final AuditWiring audit;
    private final AuditExports exports;
    private final String accountId;
    private volatile boolean running;

    private CofferServer(DataDirectory dataDir, Store store, HttpEdge edge, SingletonJobs jobs, AuditWiring audit,
                         AuditExports exports, String accountId) {
        this.audit = audit;
        this.exports = exports;
        this.dataDir = dataDir;
        this.store = store;
        this.edge = edge;
        this.jobs = jobs;
        this.accountId = accountId;
    }

    public static CofferServer start(CofferConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    public static CofferServer start(CofferConfig config, Clock clock) throws Exception {
        if (!config.tls() && !config.insecureHttp() && !TlsMaterial.isLoopback(config.listenHost())) {
            throw new IllegalArgumentException("listening on " + config.listenHost() + " exposes Coffer beyond this machine: "
                    + "give --tls-cert/--tls-key or --tls-self-signed, or say --insecure-http");
        }
        for (String region : config.regions()) {
            if (!Regions.wellFormed(region)) throw new IllegalArgumentException("not a region name: " + region);
        }
        if (config.exports().any() && !config.audit().durable()) {
            throw new IllegalArgumentException("audit exports read the durable audit trail, which is off");
        }
        AlertSettings alertSettings = AlertWiring.settings(config.dataDir());
        SecureRandom random = new SecureRandom();
        DataDirectory dir = DataDirectory.open(config.dataDir());
        Store store = null;
        AuditExports exports = null;
        try {
            Path rootKeyFile = config.rootKeyFile() != null ? config.rootKeyFile() : dir.rootKey();
            FileRootKeySource rootKey;
            if (config.storage() == null) {
                // A root key is created only with a new store: beside an existing one, a fresh key could
                // never open it and would only hide that the real key is missing.
                rootKey = Files.exists(dir.database())
                        ? FileRootKeySource.existing(rootKeyFile)
                        : FileRootKeySource.createIfMissing(rootKeyFile);
                store = SqliteStore.open(dir.database());
            } else {
                StorageLocation location = StorageLocation.parse(config.storage());
                store = PostgresStore.open(location.jdbcUrl(), location.user(), config.storagePassword(), 16);
                // The node that initializes an empty database creates the root key; every other node is given it.
                boolean initialized = store.read(tx -> tx.keyring().any());
                if (initialized && !Files.exists(rootKeyFile)) {
                    throw new IllegalStateException("the database at " + config.storage() + " is already initialized: give "
                            + "this node the root key file the first node created (--root-key-file); " + rootKeyFile
                            + " does not exist");
                }
                rootKey = initialized ? FileRootKeySource.existing(rootKeyFile) : FileRootKeySource.createIfMissing(rootKeyFile);
            }
            Keyring keyring = Keyring.open(rootKey, store, clock);
            String accountId = Accounts.ensureAccountId(store, config.accountId(), random);
            RowMacs macs = new RowMacs(keyring);
            AwsManagedPolicies awsPolicies = new AwsManagedPolicies();
            BootstrapAdministrator.ensure(store, keyring, macs, accountId, dir.adminCredentials(), random, clock);
            if (keyring.rowIntegrityKeyCreated()) BootstrapAdministrator.sealResourcePolicies(store, keyring);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AuditWiring audit = AuditWiring.open(store, config, config.dataDir(), clock);
            ApiServices.Api api = ApiServices.build(store, audit, keyring, macs, awsPolicies, config, accountId, clock, random,
                    metrics);
            RequestPipeline pipeline = api.pipeline();
            AlertWiring alerts = AlertWiring.open(alertSettings, store, audit.log(), api.hygieneReport(), clock, metrics);

            KeyStore tls = null;
            if (config.tlsSelfSigned()) tls = TlsMaterial.selfSigned(config.listenHost(), dir.selfSignedCertificate(), dir.selfSignedKey());
            else if (config.tlsCertificate() != null) tls = TlsMaterial.fromPem(config.tlsCertificate(), config.tlsKey());

            // Work that runs on one node of a cluster at a time (on SQLite, the one node).
            SecretPurger purger = new SecretPurger(store, clock, audit.log());
            SingletonJobs jobs = new SingletonJobs(store, clock)
                    .schedule("purge", config.purgeInterval(), purger::purgeDue);
            audit.schedule(jobs);
            // Exports follow the durable log on the node that runs the singleton work, each on its own thread.
            exports = AuditExports.open(store, config.exports(), jobs::holder, clock, metrics);
            alerts.schedule(jobs);
            CofferServer[] self = new CofferServer[1];
            HttpEdge edge = new HttpEdge(config.listenHost(), config.listenPort(), tls, TlsMaterial.KEYSTORE_PASSWORD,
                    pipeline, metrics, new NodeHealth(() -> self[0] != null && self[0].running, store, jobs));
            CofferServer server = new CofferServer(dir, store, edge, jobs, audit, exports, accountId);
            self[0] = server;
            edge.start();
            server.running = true;
            jobs.start();
            exports.start();
            return server;
        } catch (Exception | Error e) {
            if (exports != null) exports.close();
            if (store != null) store.close();
            dir.close();
            throw e;
        }
    }

    public URI endpoint() {
        return edge.endpoint();
    }

    public String accountId() {
        return accountId;
    }

    public Path adminCredentialsFile() {
        return dataDir.adminCredentials();
    }

    public String adminProfile() {
        return BootstrapAdministrator.PROFILE;
    }

    /** Stops accepting requests, lets in-flight ones finish, then closes the store. */
    @Override
    public void close() {
        running = false;
        jobs.close();
        exports.close(); // after the lease is given up: another node continues from the cursors
        try {
            edge.close();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP edge failed", e);
        }
        audit.close(); // after the edge: no call is left waiting for its event
        store.close();
        dataDir.close();
    }
}
