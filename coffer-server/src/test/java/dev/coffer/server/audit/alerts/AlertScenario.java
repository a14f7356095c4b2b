package dev.coffer.server.audit.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.audit.ChainVerifier;
import dev.coffer.server.audit.CloudTrailService;
import dev.coffer.server.bootstrap.AuditVerification;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.auth.scheme.IamAuthSchemeProvider;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.auth.scheme.SecretsManagerAuthSchemeProvider;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * A real server whose clock the test moves through days of simulated traffic, with real SDK clients that sign with
 * the same clock. Time starts at midnight UTC four to five days ago, so a scenario of up to four days ends before the
 * real present and the clock can then be set to now, where the AWS CLI (which signs with the real time) is accepted.
 *
 * <p>The background workload is steady: the administrator lists secrets once an hour, and the user {@code app} reads
 * {@code prod/db} three times an hour (at :05, :25 and :45), always from 127.0.0.1.
 */
final class AlertScenario implements AutoCloseable {
    static final String SETTINGS = """
            learning-period=PT24H
            check-interval=PT0.1S
            spike.sigma=4
            spike.min-reads=10
            spike.rate-half-life=PT24H
            probing.denials=5
            probing.window=PT5M
            hygiene.interval=PT0.5S
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
             "Resource":["arn:aws:secretsmanager:*:*:secret:prod/db-*","arn:aws:secretsmanager:*:*:secret:prod/payments-*"]}]}""";

    final Instant start = Instant.now().minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.DAYS);
    final MutableClock clock = new MutableClock(start);
    final Path dataDir;
    final List<String> values = new ArrayList<>();
    TestServer server;
    SecretsManagerClient admin;
    IamClient iam;
    SecretsManagerClient app;
    AwsBasicCredentials appKey;
    String appArn;

    private AlertScenario(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** A server with the scenario's alert settings, on SQLite or on the storage {@code storageUrl} names (null: SQLite). */
    static AlertScenario start(String storageUrl) {
        try {
            Path dir = Files.createTempDirectory("coffer-alerts-");
            Files.writeString(dir.resolve("alerts.properties"), SETTINGS);
            AlertScenario s = new AlertScenario(dir);
            s.open(storageUrl);
            s.setUp();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String storageUrl;

    private void open(String storage) {
        this.storageUrl = storage;
        server = TestServer.startOn(dataDir, c -> storage == null ? c : c.withStorage(storage, null, null), true, clock);
        admin = secretsManager(server.endpoint(), server.adminCredentials());
        iam = iam(server.endpoint(), server.adminCredentials());
        if (appKey != null) app = secretsManager(server.endpoint(), appKey);
    }

    private void setUp() {
        for (String name : List.of("prod/db", "prod/payments", "prod/other")) createSecret(name);
        iam.createUser(r -> r.userName("app"));
        iam.putUserPolicy(r -> r.userName("app").policyName("read").policyDocument(APP_POLICY));
        AccessKey key = iam.createAccessKey(r -> r.userName("app")).accessKey();
        appKey = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        app = secretsManager(server.endpoint(), appKey);
        appArn = "arn:aws:iam::" + server.accountId() + ":user/app";
    }

    /** A new IAM user that may read prod/db and prod/payments, and a client signed with its key. */
    SecretsManagerClient newUser(String name) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName("read").policyDocument(APP_POLICY));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return secretsManager(server.endpoint(), AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    String arn(String user) {
        return "arn:aws:iam::" + server.accountId() + ":user/" + user;
    }

    void createSecret(String name, software.amazon.awssdk.services.secretsmanager.model.Tag... tags) {
        String value = "alert-value-" + UUID.randomUUID();
        values.add(value);
        admin.createSecret(b -> b.name(name).secretString(value).tags(tags));
    }

    /** Stops the server and starts it again on the same data directory (and database): what must survive a restart. */
    void restart() {
        closeClients();
        server.stop();
        open(storageUrl);
    }

    /** Stops the server, checks the whole audit chain (alerts included) as {@code coffer audit verify} does, starts it again. */
    ChainVerifier.Report verifyChain() {
        closeClients();
        server.stop();
        ChainVerifier.Report report = AuditVerification.verify(storageUrl == null ? dataDir : null, storageUrl, null,
                AuditVerification.defaultPublicKey(dataDir));
        open(storageUrl);
        return report;
    }

    /** Moves the clock to {@code offset} after the start; time only moves forward. */
    void at(Duration offset) {
        Duration by = Duration.between(clock.instant(), start.plus(offset));
        assertThat(by.isNegative()).as("the scenario moves time forward").isFalse();
        clock.advance(by);
    }

    static Duration hour(long h, long minute) {
        return Duration.ofHours(h).plusMinutes(minute);
    }

    /** The background workload of hours [from, to). */
    void steadyHours(int from, int to) {
        for (int h = from; h < to; h++) {
            at(hour(h, 5));
            app.getSecretValue(b -> b.secretId("prod/db"));
            at(hour(h, 10));
            admin.listSecrets(b -> b.maxResults(1));
            at(hour(h, 25));
            app.getSecretValue(b -> b.secretId("prod/db"));
            at(hour(h, 45));
            app.getSecretValue(b -> b.secretId("prod/db"));
        }
    }

    /** A read {@code app} may not make; false once refused. */
    boolean deniedRead(SecretsManagerClient client, String secret) {
        try {
            client.getSecretValue(b -> b.secretId(secret));
            return true;
        } catch (SecretsManagerException e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            return false;
        }
    }

    /** Every alert in the trail, newest first: LookupEvents for the events Coffer's alerts record as their user. */
    List<JsonNode> alerts() {
        List<JsonNode> all = new ArrayList<>();
        String next = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("LookupAttributes").addObject().put("AttributeKey", "Username")
                    .put("AttributeValue", "coffer.amazonaws.com");
            body.put("MaxResults", 50);
            if (next != null) body.put("NextToken", next);
            RawClient.Response r = RawClient.of(server).request(null).target(CloudTrailService.TARGET_PREFIX + ".LookupEvents")
                    .service(CloudTrailService.SIGNING_NAME).signedAt(clock.instant()).body(body.toString()).send();
            assertThat(r.ok()).as("%s", r).isTrue();
            for (String value : values) assertThat(r.body()).as("a secret's value").doesNotContain(value);
            for (JsonNode e : r.json().path("Events")) {
                try {
                    all.add(JSON.readTree(e.path("CloudTrailEvent").asText()));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
            next = r.json().path("NextToken").asText(null);
        } while (next != null);
        return all;
    }

    /** The alerts of one rule. */
    List<JsonNode> alerts(String rule) {
        return alerts().stream().filter(a -> rule.equals(a.path("serviceEventDetails").path("rule").asText())).toList();
    }

    /** Waits (real time: the engine runs every 0.1 s) until an alert matching {@code which} is in the trail. */
    JsonNode awaitAlert(String rule, Predicate<JsonNode> which) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode a : alerts(rule)) if (which.test(a)) return a;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("no " + rule + " alert arrived within 30 s; the alerts: " + alerts());
    }

    /**
     * Provokes a known alert and waits for it: the engine judges the trail in order, so once it is there, every event
     * before it has been judged. {@code app} is refused five times on {@code prod/other} within a minute.
     */
    void markerAndWait() {
        Instant at = clock.instant();
        for (int i = 0; i < 5; i++) assertThat(deniedRead(app, "prod/other")).isFalse();
        awaitAlert("repeated-access-denied", a -> a.path("serviceEventDetails").path("subject").asText().equals(appArn)
                && !Instant.parse(a.path("eventTime").asText()).isBefore(at));
    }

    static String explanation(JsonNode alert) {
        return alert.path("serviceEventDetails").path("explanation").asText();
    }

    static String principal(JsonNode alert) {
        return alert.path("serviceEventDetails").path("principal").asText(null);
    }

    /** The server's Prometheus page. */
    String metrics() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.endpoint().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    SecretsManagerClient secretsManager(URI endpoint, AwsCredentials credentials) {
        return secretsManager(endpoint, credentials, clock);
    }

    /** A real SDK client that signs with the test's clock (the server checks a signature's time against its own). */
    static SecretsManagerClient secretsManager(URI endpoint, AwsCredentials credentials, Clock clock) {
        SecretsManagerAuthSchemeProvider defaults = SecretsManagerAuthSchemeProvider.defaultProvider();
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(TestServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(o -> o.toBuilder().putSignerProperty(HttpSigner.SIGNING_CLOCK, clock).build()).toList())
                .build();
    }

    IamClient iam(URI endpoint, AwsCredentials credentials) {
        IamAuthSchemeProvider defaults = IamAuthSchemeProvider.defaultProvider();
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(o -> o.toBuilder().putSignerProperty(HttpSigner.SIGNING_CLOCK, clock).build()).toList())
                .build();
    }

    private void closeClients() {
        admin.close();
        iam.close();
        if (app != null) app.close();
    }

    @Override
    public void close() {
        closeClients();
        server.close();
    }
}
