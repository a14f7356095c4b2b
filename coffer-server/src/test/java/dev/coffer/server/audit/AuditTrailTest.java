package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.testkit.StoredAuditEvents;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The audit trail through real clients: a scripted session (a write, reads, a denial, a bad signature, bad
 * input) made with the AWS SDK, then read back with {@code aws cloudtrail lookup-events}: exactly those
 * events, newest first, with the right principal, source IP and outcome; no secret value in the database
 * files, the lookups or the logs; reads fail closed while the audit store refuses writes and resume without
 * a restart; a write and its event commit together.
 */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUE_1 = "audit-plaintext-" + UUID.randomUUID();
    private static final String VALUE_2 = "audit-plaintext-" + UUID.randomUUID();
    private static final String NAME = "audit/payments/db";

    private static TestServer server;
    private static AwsCli aws;
    private static ListAppender<ILoggingEvent> logs;
    private static Instant sessionStart;
    private static Instant sessionEnd;
    private static String adminKey;
    private static String secretArn;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void scriptedSession() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger("coffer.audit")).setLevel(Level.INFO);

        server = TestServer.start();
        aws = AwsCli.against(server, scratch);
        adminKey = server.adminCredentials().accessKeyId();
        IamClient iam = Clients.iam(server, Clients.of(server.adminCredentials()));
        SecretsManagerClient intern = Clients.newUser(server, iam, "intern", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"arn:aws:secretsmanager:*:*:secret:public/*"}]}""");
        // Lookups name whole seconds: the session has its seconds to itself.
        sessionStart = nextSecond();
        SecretsManagerClient admin = server.secretsManager();
        secretArn = admin.createSecret(r -> r.name(NAME).secretString(VALUE_1)).arn();
        assertThat(admin.getSecretValue(r -> r.secretId(NAME)).secretString()).isEqualTo(VALUE_1);
        admin.putSecretValue(r -> r.secretId(NAME).secretString(VALUE_2));
        failsWith("AccessDeniedException", () -> intern.getSecretValue(r -> r.secretId(NAME)));
        SecretsManagerClient forged = noRetries(AwsBasicCredentials.create(adminKey, "not-the-secret-key-at-all"));
        failsWith("InvalidSignatureException", () -> forged.getSecretValue(r -> r.secretId(NAME)));
        failsWith("ValidationException", () -> admin.getSecretValue(r -> r.secretId("x".repeat(3000))));
        sessionEnd = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        nextSecond();
    }

    private static void failsWith(String code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SecretsManagerException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }

    private static Instant nextSecond() throws InterruptedException {
        Instant now = Instant.now();
        Instant next = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Duration.between(now, next).toMillis() + 5);
        return next;
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("coffer.audit")).setLevel(Level.WARN);
        if (server != null) server.close();
    }

    private static SecretsManagerClient noRetries(AwsBasicCredentials credentials) {
        return SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.of(TestServer.REGION))
                .credentialsProvider(Clients.of(credentials)).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static List<JsonNode> lookup(String... extra) {
        List<String> args = new ArrayList<>(List.of("cloudtrail", "lookup-events", "--start-time", sessionStart.toString(),
                "--end-time", sessionEnd.toString()));
        args.addAll(List.of(extra));
        JsonNode answer = AwsCli.ok(aws.run(args.toArray(String[]::new)));
        List<JsonNode> events = new ArrayList<>();
        answer.path("Events").forEach(events::add);
        return events;
    }

    private static JsonNode record(JsonNode event) throws Exception {
        return JSON.readTree(event.path("CloudTrailEvent").asText());
    }

    @Test
    void lookupEvents_returnsExactlyTheSessionNewestFirst_withPrincipalSourceIpAndOutcome() throws Exception {
        List<JsonNode> events = lookup();
        assertThat(events).extracting(e -> e.path("EventName").asText()).containsExactly(
                "GetSecretValue", "GetSecretValue", "GetSecretValue", "PutSecretValue", "GetSecretValue", "CreateSecret");
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode e : events) records.add(record(e));
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(r.path("eventSource").asText()).isEqualTo("secretsmanager.amazonaws.com");
            assertThat(r.path("awsRegion").asText()).isEqualTo(TestServer.REGION);
            assertThat(r.path("eventType").asText()).isEqualTo("AwsApiCall");
            assertThat(r.path("managementEvent").asBoolean()).isTrue();
            assertThat(r.path("recipientAccountId").asText()).isEqualTo(server.accountId());
            assertThat(r.path("eventVersion").asText()).isEqualTo("1.11");
        });
        String adminArn = "arn:aws:iam::" + server.accountId() + ":user/coffer-admin";
        // newest first: bad input, bad signature, denial, put, get, create
        assertThat(records.get(0).path("errorCode").asText()).isEqualTo("ValidationException");
        assertThat(records.get(0).path("userIdentity").path("arn").asText()).isEqualTo(adminArn);
        assertThat(records.get(1).path("errorCode").asText()).isEqualTo("InvalidSignatureException");
        assertThat(records.get(1).path("userIdentity").path("accessKeyId").asText())
                .as("a bad signature is recorded under the key it claimed").isEqualTo(adminKey);
        assertThat(records.get(2).path("errorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(records.get(2).path("userIdentity").path("userName").asText()).isEqualTo("intern");
        assertThat(records.get(2).path("userIdentity").path("type").asText()).isEqualTo("IAMUser");
        assertThat(records.get(2).path("errorMessage").asText()).contains("is not authorized to perform: secretsmanager:GetSecretValue");
        assertThat(events.get(2).path("Username").asText()).isEqualTo("intern");
        for (int i = 3; i < 6; i++) {
            assertThat(records.get(i).has("errorCode")).as("event %d succeeded", i).isFalse();
            assertThat(records.get(i).path("userIdentity").path("arn").asText()).isEqualTo(adminArn);
            assertThat(records.get(i).path("userIdentity").path("accessKeyId").asText()).isEqualTo(adminKey);
            assertThat(events.get(i).path("Resources").get(0).path("ResourceName").asText()).isEqualTo(secretArn);
            assertThat(events.get(i).path("Resources").get(0).path("ResourceType").asText())
                    .isEqualTo("AWS::SecretsManager::Secret");
        }
        assertThat(records.get(4).path("readOnly").asBoolean()).isTrue();
        assertThat(records.get(4).path("requestParameters").path("secretId").asText()).isEqualTo(NAME);
        assertThat(records.get(4).path("responseElements").isNull()).as("reads return nothing to the trail").isTrue();
        JsonNode created = records.get(5);
        assertThat(created.path("readOnly").asBoolean()).isFalse();
        assertThat(created.path("requestParameters").path("name").asText()).isEqualTo(NAME);
        assertThat(created.path("requestParameters").has("secretString")).as("the value is dropped, not masked").isFalse();
        assertThat(created.path("responseElements").path("arn").asText()).isEqualTo(secretArn);
        assertThat(created.path("responseElements").path("versionId").asText()).isNotEmpty();
        assertThat(created.path("resources").get(0).path("ARN").asText()).isEqualTo(secretArn);
    }

    @Test
    void lookupByAttribute_findsOnlyMatchingEvents() {
        assertThat(lookup("--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=" + NAME))
                .extracting(e -> e.path("EventName").asText())
                .containsExactly("GetSecretValue", "PutSecretValue", "GetSecretValue", "CreateSecret");
        assertThat(lookup("--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=" + secretArn)).hasSize(4);
        assertThat(lookup("--lookup-attributes", "AttributeKey=Username,AttributeValue=intern"))
                .extracting(e -> e.path("EventName").asText()).containsExactly("GetSecretValue");
        assertThat(lookup("--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutSecretValue")).hasSize(1);
        assertThat(lookup("--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=false"))
                .extracting(e -> e.path("EventName").asText()).containsExactly("PutSecretValue", "CreateSecret");
        assertThat(lookup("--lookup-attributes", "AttributeKey=AccessKeyId,AttributeValue=" + adminKey)).hasSize(5);
        assertThat(lookup("--lookup-attributes", "AttributeKey=ResourceType,AttributeValue=AWS::SecretsManager::Secret"))
                .hasSize(4);
        String eventId = lookup().get(3).path("EventId").asText();
        assertThat(lookup("--lookup-attributes", "AttributeKey=EventId,AttributeValue=" + eventId))
                .extracting(e -> e.path("EventName").asText()).containsExactly("PutSecretValue");
    }

    @Test
    void pages_continueWhereTheLastEnded_andTheCliFollowsThem() {
        JsonNode first = AwsCli.ok(aws.run("cloudtrail", "lookup-events", "--start-time", sessionStart.toString(),
                "--end-time", sessionEnd.toString(), "--max-results", "4", "--no-paginate"));
        assertThat(first.path("Events")).hasSize(4);
        assertThat(first.path("NextToken").asText()).isNotEmpty();
        JsonNode second = AwsCli.ok(aws.run("cloudtrail", "lookup-events", "--start-time", sessionStart.toString(),
                "--end-time", sessionEnd.toString(), "--max-results", "4", "--no-paginate", "--next-token",
                first.path("NextToken").asText()));
        assertThat(second.path("Events")).extracting(e -> e.path("EventName").asText())
                .containsExactly("GetSecretValue", "CreateSecret");
        assertThat(second.has("NextToken")).isFalse();
        // the CLI's own pagination walks every page
        assertThat(AwsCli.ok(aws.run("cloudtrail", "lookup-events", "--start-time", sessionStart.toString(),
                "--end-time", sessionEnd.toString(), "--page-size", "2")).path("Events")).hasSize(6);
    }

    @Test
    void badLookups_getCloudTrailsErrors() {
        AwsCli.failedWith(aws.run("cloudtrail", "lookup-events", "--lookup-attributes",
                        "AttributeKey=EventName,AttributeValue=GetSecretValue", "AttributeKey=Username,AttributeValue=intern"),
                "InvalidLookupAttributesException", "LookupEvents", "You cannot specify more than one lookup attribute.");
        AwsCli.failedWith(aws.run("cloudtrail", "lookup-events", "--start-time", sessionEnd.plusSeconds(3600).toString(),
                "--end-time", sessionStart.toString()), "InvalidTimeRangeException", "LookupEvents", "Start time must be before end time.");
        AwsCli.failedWith(aws.run("cloudtrail", "lookup-events", "--max-results", "51", "--no-paginate"),
                "InvalidMaxResultsException", "LookupEvents", "MaxResults must be between 1 and 50.");
        AwsCli.failedWith(aws.run("cloudtrail", "lookup-events", "--next-token", "bm90LWEtdG9rZW4", "--no-paginate"),
                "InvalidNextTokenException", "LookupEvents", "Invalid NextToken.");
        AwsCli.failedWith(aws.run("cloudtrail", "lookup-events", "--lookup-attributes",
                        "AttributeKey=ReadOnly,AttributeValue=maybe"),
                "InvalidLookupAttributesException", "LookupEvents", "ReadOnly lookup attribute value must be true or false.");
    }

    @Test
    void lookupEvents_isAuthorizedByPolicy() {
        IamClient iam = Clients.iam(server, Clients.of(server.adminCredentials()));
        iam.createUser(r -> r.userName("auditor"));
        iam.putUserPolicy(r -> r.userName("auditor").policyName("p").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}"""));
        var auditorKey = iam.createAccessKey(r -> r.userName("auditor")).accessKey();
        iam.createUser(r -> r.userName("nosy"));
        var nosyKey = iam.createAccessKey(r -> r.userName("nosy")).accessKey();
        JsonNode seen = AwsCli.ok(aws.runAs(Map.of("AWS_ACCESS_KEY_ID", auditorKey.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
                auditorKey.secretAccessKey()), "cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=ResourceName,AttributeValue=" + NAME));
        assertThat(seen.path("Events").size()).isGreaterThanOrEqualTo(4);
        AwsCli.failedWith(aws.runAs(Map.of("AWS_ACCESS_KEY_ID", nosyKey.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
                        nosyKey.secretAccessKey()), "cloudtrail", "lookup-events"), "AccessDeniedException", "LookupEvents",
                "User: arn:aws:iam::" + server.accountId() + ":user/nosy is not authorized to perform: cloudtrail:LookupEvents "
                        + "because no identity-based policy allows the cloudtrail:LookupEvents action");
    }

    @Test
    void noSecretValue_inTheDatabaseFiles_theLookups_orTheLogs() throws Exception {
        String everything = AwsCli.ok(aws.run("cloudtrail", "lookup-events")).toString();
        assertThat(everything).contains(NAME).doesNotContain(VALUE_1).doesNotContain(VALUE_2);
        try (Stream<Path> files = Files.list(server.dataDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as("%s", f.getFileName()).doesNotContain(VALUE_1).doesNotContain(VALUE_2);
            }
        }
        // The files' bytes hold the audit records compressed, so the records are searched as stored, decoded.
        try (Connection db = sqlite()) {
            List<AuditRow> events = StoredAuditEvents.all(db);
            assertThat(events).hasSizeGreaterThanOrEqualTo(6);
            assertThat(events).allSatisfy(e -> assertThat(e.recordJson()).doesNotContain(VALUE_1).doesNotContain(VALUE_2));
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
                .doesNotContain(VALUE_1).doesNotContain(VALUE_2));
    }

    @Test
    void whileTheAuditStoreRefuses_readsAndWritesFailClosed_andServiceResumesWithoutRestart() throws Exception {
        SecretsManagerClient admin = noRetries(server.adminCredentials());
        String name = "audit/fail-closed";
        admin.createSecret(r -> r.name(name).secretString("fail-closed-value-1"));
        assertThat(admin.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("fail-closed-value-1");
        int versionsBefore = admin.listSecretVersionIds(r -> r.secretId(name)).versions().size();
        try (Connection db = sqlite(); Statement st = db.createStatement()) {
            st.execute("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_batches BEGIN SELECT RAISE(ABORT, 'audit store "
                    + "made unwritable by the test'); END");
        }
        try {
            assertThatThrownBy(() -> admin.getSecretValue(r -> r.secretId(name)))
                    .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServiceError");
                        assertThat(e.getMessage()).doesNotContain("fail-closed-value");
                    });
            assertThatThrownBy(() -> admin.putSecretValue(r -> r.secretId(name).secretString("fail-closed-value-2")))
                    .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        } finally {
            try (Connection db = sqlite(); Statement st = db.createStatement()) {
                st.execute("DROP TRIGGER audit_refuses");
            }
        }
        assertThat(admin.getSecretValue(r -> r.secretId(name)).secretString())
                .as("served again, same process").isEqualTo("fail-closed-value-1");
        assertThat(admin.listSecretVersionIds(r -> r.secretId(name)).versions())
                .as("the write whose event could not be committed did not happen either").hasSize(versionsBefore);
    }

    @Test
    void aWriteAndItsEventCommitTogether_inOneTransaction() throws Exception {
        SecretsManagerClient admin = noRetries(server.adminCredentials());
        String name = "audit/together";
        String arn = admin.createSecret(r -> r.name(name).secretString("together-1")).arn();
        // Refuse the put's event (a batch holds events in compressed form, so the trigger refuses every event while it
        // stands, and this test makes no other call meanwhile): the put itself must not happen.
        try (Connection db = sqlite(); Statement st = db.createStatement()) {
            st.execute("CREATE TRIGGER audit_refuses_puts BEFORE INSERT ON audit_batches BEGIN SELECT RAISE(ABORT, 'no puts'); END");
        }
        try {
            assertThatThrownBy(() -> admin.putSecretValue(r -> r.secretId(arn).secretString("together-2")))
                    .isInstanceOf(SecretsManagerException.class);
        } finally {
            try (Connection db = sqlite(); Statement st = db.createStatement()) {
                st.execute("DROP TRIGGER audit_refuses_puts");
            }
        }
        assertThat(admin.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("together-1");
        String versionId = admin.putSecretValue(r -> r.secretId(arn).secretString("together-3")).versionId();
        try (Connection db = sqlite()) {
            AuditRow put = StoredAuditEvents.all(db).stream()
                    .filter(e -> "PutSecretValue".equals(e.eventName()) && e.recordJson().contains(versionId)).findFirst()
                    .orElseThrow(() -> new AssertionError("the put's event names the version it made"));
            JsonNode record = JSON.readTree(put.recordJson());
            assertThat(record.path("responseElements").path("versionId").asText()).isEqualTo(versionId);
        }
    }

    private static Connection sqlite() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("coffer.db"));
    }
}
