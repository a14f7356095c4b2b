package dev.coffer.server.bootstrap;

import dev.coffer.server.access.AccessAnalysis;
import dev.coffer.server.access.AccessService;
import dev.coffer.server.auth.CredentialStore;
import dev.coffer.server.authz.AccessDecider;
import dev.coffer.server.iam.PolicyEvaluator;
import dev.coffer.server.identities.IdentityDirectory;
import dev.coffer.server.auth.SessionTokens;
import dev.coffer.server.auth.SigV4Authenticator;
import dev.coffer.server.http.HttpEdge;
import dev.coffer.server.http.TlsMaterial;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.api.Operation;
import dev.coffer.server.protocol.JsonProtocol;
import dev.coffer.server.protocol.QueryProtocol;
import dev.coffer.server.protocol.ServiceModel;
import dev.coffer.server.request.BootstrapAdministratorAuthorizer;
import dev.coffer.server.request.LogAuditTrail;
import dev.coffer.server.request.RequestPipeline;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.secrets.SecretPurger;
import dev.coffer.server.secrets.SecretsManagerService;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Coffer server: explicit wiring by constructors, in the order of the request
 * path from the bottom up (store → keyring → services → pipeline → HTTP edge). No
 * reflection, no container: this class is the whole dependency graph.
 */
public final class CofferServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CofferServer.class);
    private static final String SECRETS_MANAGER_MODEL = "aws-models/secretsmanager-2017-10-17.json";
    private static final String IAM_MODEL = "aws-models/iam-2010-05-08.json";
    private static final String STS_MODEL = "aws-models/sts-2011-06-15.json";

    private final DataDirectory dataDir;
    private final Store store;
    private final HttpEdge edge;
    private final ScheduledExecutorService jobs;
    private final String accountId;
    private volatile boolean running;

    private CofferServer(DataDirectory dataDir, Store store, HttpEdge edge, ScheduledExecutorService jobs, String accountId) {
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
        SecureRandom random = new SecureRandom();
        DataDirectory dir = DataDirectory.open(config.dataDir());
        Store store = null;
        try {
            // A root key is created only with a new store: beside an existing one, a fresh key could
            // never open it and would only hide that the real key is missing.
            FileRootKeySource rootKey = Files.exists(dir.database())
                    ? FileRootKeySource.existing(dir.rootKey())
                    : FileRootKeySource.createIfMissing(dir.rootKey());
            store = SqliteStore.open(dir.database());
            Keyring keyring = Keyring.open(rootKey, store, clock);
            String accountId = Accounts.ensureAccountId(store, config.accountId(), random);
            BootstrapAdministrator.ensure(store, keyring, accountId, dir.adminCredentials(), random, clock);

            Predicate<String> acceptedRegion = Regions.accepted(config.regions());
            SecretsManagerService secrets = new SecretsManagerService(store, keyring, clock, random, acceptedRegion);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            JsonProtocol json = new JsonProtocol().withModel(SecretsManagerService.SIGNING_NAME,
                    ServiceModel.load(SECRETS_MANAGER_MODEL))
                    .withModel(AccessService.TARGET_PREFIX, ServiceModel.load(AccessService.MODEL));
            QueryProtocol query = new QueryProtocol().withModel(ServiceModel.load(IAM_MODEL))
                    .withModel(ServiceModel.load(STS_MODEL));
            List<Operation<?, ?>> operations = new ArrayList<>(secrets.operations());
            // The access analyses ask the same AccessDecider that authorizes requests (one directory, one decider).
            IdentityDirectory directory = new IdentityDirectory();
            AccessDecider decider = new AccessDecider(directory, new PolicyEvaluator());
            operations.addAll(new AccessService(new AccessAnalysis(directory, decider, secrets, null, config.regions(), clock),
                    secrets).operations());
            RequestPipeline pipeline = new RequestPipeline(
                    new SigV4Authenticator(new CredentialStore(store, keyring), new SessionTokens(keyring, random), clock, acceptedRegion),
                    new BootstrapAdministratorAuthorizer(BootstrapAdministrator.arn(accountId)),
                    new LogAuditTrail(), List.of(query, json), operations, metrics, clock);

            KeyStore tls = null;
            if (config.tlsSelfSigned()) tls = TlsMaterial.selfSigned(config.listenHost(), dir.selfSignedCertificate(), dir.selfSignedKey());
            else if (config.tlsCertificate() != null) tls = TlsMaterial.fromPem(config.tlsCertificate(), config.tlsKey());

            ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("coffer-jobs").daemon(true).factory());
            CofferServer[] self = new CofferServer[1];
            HttpEdge edge = new HttpEdge(config.listenHost(), config.listenPort(), tls, TlsMaterial.KEYSTORE_PASSWORD,
                    pipeline, metrics, () -> self[0] != null && self[0].running);
            CofferServer server = new CofferServer(dir, store, edge, jobs, accountId);
            self[0] = server;
            edge.start();
            server.running = true;
            SecretPurger purger = new SecretPurger(store, clock);
            long every = config.purgeInterval().toMillis();
            jobs.scheduleWithFixedDelay(() -> runQuietly("purge", purger::purgeDue), every, every, TimeUnit.MILLISECONDS);
            return server;
        } catch (Exception | Error e) {
            if (store != null) store.close();
            dir.close();
            throw e;
        }
    }

    private static void runQuietly(String job, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("the {} job failed; it runs again at its next interval", job, e);
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
        jobs.shutdownNow();
        try {
            edge.close();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP edge failed", e);
        }
        store.close();
        dataDir.close();
    }
}
