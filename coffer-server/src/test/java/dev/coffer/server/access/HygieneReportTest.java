package dev.coffer.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.bootstrap.CofferConfig;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.RawClient;
import dev.coffer.server.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The hygiene report end to end: a real server whose clock the test moves, secrets, users and keys made
 * and used through the AWS SDK (signing with the same clock), and the report asked for over the wire.
 * Every rule is checked on both sides of its threshold, and no answer ever carries a secret's value.
 */
class HygieneReportTest {
    private static final String EU = "eu-west-1";

    private MutableClock clock;
    private TestServer server;
    private SecretsManagerClient secrets;
    private IamClient iam;
    private String account;
    private final List<String> values = new ArrayList<>();

    @BeforeEach
    void start() {
        // Whole milliseconds, as the store keeps times: "exactly at the threshold" is then exact.
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        server = TestServer.start(c -> c, clock);
        account = server.accountId();
        secrets = ClockedClients.secretsManager(server, server.adminCredentials(), TestServer.REGION, clock);
        iam = ClockedClients.iam(server, server.adminCredentials(), clock);
    }

    @AfterEach
    void stop() {
        secrets.close();
        iam.close();
        server.close();
    }

    // ---- inventory -------------------------------------------------------------------------------------

    @Test
    void everySecretsInventoryComesFromItsTagsAndRotationSettings() {
        create(secrets, "prod/payments/db", tag("owner", "payments"), tag("classification", "High"), tag("rotation-days", "30"));
        create(secrets, "billing-api-key");
        create(secrets, "ledger", tag("Owner", "ledger"), tag("Data-Classification", "Secret"), tag("ENV", "staging"),
                tag("rotation_days", "monthly"));
        create(secrets, "dev/auto", tag("owned-by", "platform"), tag("classification", "low"));
        rotateAutomatically("dev/auto", 7);
        create(secrets, "prod/leaving");
        secrets.deleteSecret(b -> b.secretId("prod/leaving").recoveryWindowInDays(7L));

        JsonNode report = report("{}");
        assertThat(report.path("AccountId").asText()).isEqualTo(account);
        assertThat(report.has("Region")).as("every region").isFalse();
        assertThat(report.path("Thresholds").toString()).isEqualTo("{\"UnreadDays\":90,\"ExpiryReminderDays\":30,\"UnusedKeyDays\":90}");
        assertThat(texts(report.path("Rules"))).containsExactlyInAnyOrder("missing-inventory", "invalid-inventory",
                "unread-secret", "rotation-overdue", "expiry-reminder", "expired-secret", "stale-access-key",
                "multi-environment-reader");
        assertThat(names(report.path("Inventory"))).as("a secret scheduled for deletion is left out")
                .containsExactly("billing-api-key", "dev/auto", "ledger", "prod/payments/db");

        JsonNode db = entry(report, "prod/payments/db");
        assertThat(db.path("Owner").asText()).isEqualTo("payments");
        assertThat(db.path("Classification").asText()).isEqualTo("High");
        assertThat(db.path("Environment").asText()).as("from the name's first segment").isEqualTo("prod");
        assertThat(db.path("RotationFrequencyHours").asLong()).isEqualTo(30 * 24);
        assertThat(db.path("RotationSource").asText()).isEqualTo("RotationDaysTag");
        assertThat(db.path("SecretARN").asText()).contains(":secret:prod/payments/db-");
        assertThat(db.path("Region").asText()).isEqualTo(TestServer.REGION);

        JsonNode auto = entry(report, "dev/auto");
        assertThat(auto.path("Owner").asText()).isEqualTo("platform");
        assertThat(auto.path("Classification").asText()).isEqualTo("Low");
        assertThat(auto.path("RotationSource").asText()).isEqualTo("AutomaticRotation");
        assertThat(auto.path("RotationFrequencyHours").asLong()).isEqualTo(7 * 24);

        assertThat(message(report, "missing-inventory", "billing-api-key"))
                .isEqualTo("The secret billing-api-key has no owner, classification, environment or rotation frequency.");
        assertThat(message(report, "invalid-inventory", "ledger")).isEqualTo("The secret ledger has inventory Coffer cannot "
                + "read: classification 'Secret' is not Low, Medium or High; rotation-days 'monthly' is not a whole number "
                + "of days from 1 to 3650.");
        assertThat(subjects(report, "missing-inventory")).as("what is there but unreadable is not also missing")
                .containsExactly("billing-api-key");
        assertThat(entry(report, "ledger").path("Environment").asText()).isEqualTo("staging");
        assertThat(subjects(report, "invalid-inventory")).containsExactly("ledger");
        assertThat(severity(report, "missing-inventory", "billing-api-key")).isEqualTo("WARNING");
    }

    // ---- unread secrets ----------------------------------------------------------------------------------

    @Test
    void aSecretUnreadForTheThresholdIsReportedAndAReadOfItOrItsReplicaSilencesIt() {
        for (String name : List.of("prod/read-early", "prod/never-read", "prod/read-late", "prod/replicated")) {
            create(secrets, name, inventoryTags());
        }
        secrets.replicateSecretToRegions(b -> b.secretId("prod/replicated").addReplicaRegions(ReplicaRegionType.builder().region(EU).build()));
        LocalDate created = today();

        clock.advance(Duration.ofDays(10));
        secrets.getSecretValue(b -> b.secretId("prod/read-early"));
        LocalDate readEarly = today();
        clock.advance(Duration.ofDays(40));
        secrets.getSecretValue(b -> b.secretId("prod/read-late"));
        try (SecretsManagerClient eu = ClockedClients.secretsManager(server, server.adminCredentials(), EU, clock)) {
            eu.getSecretValue(b -> b.secretId("prod/replicated"));
        }
        LocalDate readLate = today();

        clock.advance(Duration.ofDays(39)); // day 89
        assertThat(subjects(report("{}"), "unread-secret")).isEmpty();

        clock.advance(Duration.ofDays(1)); // day 90
        JsonNode day90 = report("{}");
        assertThat(subjects(day90, "unread-secret")).containsExactly("prod/never-read");
        assertThat(message(day90, "unread-secret", "prod/never-read"))
                .isEqualTo("The secret prod/never-read has never been read in the 90 days since it was created.");
        assertThat(severity(day90, "unread-secret", "prod/never-read")).isEqualTo("INFO");
        assertThat(day90.path("Findings").toString()).as("created on %s", created).doesNotContain("prod/read-early");

        clock.advance(Duration.ofDays(10)); // day 100
        JsonNode day100 = report("{}");
        assertThat(subjects(day100, "unread-secret")).containsExactly("prod/never-read", "prod/read-early");
        assertThat(message(day100, "unread-secret", "prod/read-early"))
                .isEqualTo("The secret prod/read-early has not been read since " + readEarly + " (90 days).");
        assertThat(instantOf(entry(day100, "prod/replicated"), "LastAccessedDate"))
                .as("a read of the replica is a read of its primary").isEqualTo(readLate.atStartOfDay(ZoneOffset.UTC).toInstant());
        assertThat(names(day100.path("Inventory"))).as("a replica is not a subject of its own").doesNotHaveDuplicates();

        // LastAccessedDate is DescribeSecret's, from the same data.
        Instant described = secrets.describeSecret(b -> b.secretId("prod/read-early")).lastAccessedDate();
        assertThat(instantOf(entry(day100, "prod/read-early"), "LastAccessedDate")).isEqualTo(described);

        assertThat(subjects(report("{\"UnreadDays\":45}"), "unread-secret"))
                .containsExactly("prod/never-read", "prod/read-early", "prod/read-late", "prod/replicated");
        assertThat(report("{\"UnreadDays\":45}").path("Thresholds").path("UnreadDays").asInt()).isEqualTo(45);
    }

    // ---- rotation ------------------------------------------------------------------------------------------

    @Test
    void aSecretNotRotatedWithinItsPolicyIsReportedUntilItIsRotated() {
        create(secrets, "prod/by-hand", tag("owner", "ops"), tag("classification", "Medium"), tag("rotation-days", "30"));
        create(secrets, "prod/automatic", tag("owner", "ops"), tag("classification", "Medium"));
        rotateAutomatically("prod/automatic", 7);
        create(secrets, "prod/no-policy", tag("owner", "ops"), tag("classification", "Medium"));
        LocalDate created = today();

        clock.advance(Duration.ofDays(7));
        assertThat(subjects(report("{}"), "rotation-overdue")).as("exactly at the frequency is within it").isEmpty();

        clock.advance(Duration.ofHours(1));
        JsonNode week = report("{}");
        assertThat(subjects(week, "rotation-overdue")).containsExactly("prod/automatic");
        assertThat(message(week, "rotation-overdue", "prod/automatic")).isEqualTo("The current value of the secret "
                + "prod/automatic was made 7 days ago (" + created + ") but its rotation schedule AutomaticallyAfterDays=7 "
                + "asks for every 7 days.");
        assertThat(severity(week, "rotation-overdue", "prod/automatic")).isEqualTo("ERROR");

        clock.advance(Duration.ofDays(23).minusHours(1)); // day 30
        assertThat(subjects(report("{}"), "rotation-overdue")).containsExactly("prod/automatic");

        clock.advance(Duration.ofHours(1));
        JsonNode month = report("{}");
        assertThat(subjects(month, "rotation-overdue")).containsExactly("prod/automatic", "prod/by-hand");
        assertThat(message(month, "rotation-overdue", "prod/by-hand")).isEqualTo("The current value of the secret "
                + "prod/by-hand was made 30 days ago (" + created + ") but its rotation-days tag asks for every 30 days.");

        // Rotating by hand is putting a new value: the current version's creation is the last rotation.
        secrets.putSecretValue(b -> b.secretId("prod/by-hand").secretString(value()));
        JsonNode rotated = report("{}");
        assertThat(subjects(rotated, "rotation-overdue")).containsExactly("prod/automatic");
        assertThat(instantOf(entry(rotated, "prod/by-hand"), "LastRotatedDate"))
                .isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    // ---- expiry ----------------------------------------------------------------------------------------------

    @Test
    void aSecretNotRotatedAutomaticallyIsRemindedBeforeItsExpiryAndReportedPastIt() {
        LocalDate expiry = today().plusDays(40);
        create(secrets, "prod/partner-cert", tag("owner", "ops"), tag("classification", "High"), tag("rotation-days", "365"),
                tag("expires", expiry.toString()));
        create(secrets, "prod/rotated-cert", tag("owner", "ops"), tag("classification", "High"), tag("expires", expiry.toString()));
        rotateAutomatically("prod/rotated-cert", 90);

        JsonNode start = report("{}");
        assertThat(subjects(start, "expiry-reminder")).as("40 days ahead").isEmpty();
        assertThat(instantOf(entry(start, "prod/partner-cert"), "ExpirationDate"))
                .isEqualTo(expiry.atStartOfDay(ZoneOffset.UTC).toInstant());

        clock.advance(Duration.ofDays(9));
        assertThat(subjects(report("{}"), "expiry-reminder")).as("31 days ahead").isEmpty();

        clock.advance(Duration.ofDays(1));
        JsonNode ahead = report("{}");
        assertThat(subjects(ahead, "expiry-reminder")).as("a secret rotated automatically needs no reminder")
                .containsExactly("prod/partner-cert");
        assertThat(message(ahead, "expiry-reminder", "prod/partner-cert")).isEqualTo("The secret prod/partner-cert expires on "
                + expiry + " (in 30 days) and is not rotated automatically: replace it before then.");
        assertThat(severity(ahead, "expiry-reminder", "prod/partner-cert")).isEqualTo("WARNING");
        assertThat(subjects(report("{\"ExpiryReminderDays\":29}"), "expiry-reminder")).isEmpty();
        assertThat(subjects(report("{\"ExpiryReminderDays\":0}"), "expiry-reminder")).isEmpty();

        clock.advance(Duration.ofDays(30)); // on the day
        JsonNode onTheDay = report("{}");
        assertThat(subjects(onTheDay, "expiry-reminder")).isEmpty();
        assertThat(subjects(onTheDay, "expired-secret")).containsExactly("prod/partner-cert");
        assertThat(message(onTheDay, "expired-secret", "prod/partner-cert")).isEqualTo("The secret prod/partner-cert expired on "
                + expiry + " and is not rotated automatically: replace it now.");

        clock.advance(Duration.ofDays(5));
        JsonNode past = report("{}");
        assertThat(message(past, "expired-secret", "prod/partner-cert")).isEqualTo("The secret prod/partner-cert expired on "
                + expiry + " (5 days ago) and is not rotated automatically: replace it now.");
        assertThat(severity(past, "expired-secret", "prod/partner-cert")).isEqualTo("ERROR");
        assertThat(subjects(past, "expired-secret")).containsExactly("prod/partner-cert");
    }

    // ---- access keys -----------------------------------------------------------------------------------------

    @Test
    void accessKeysUnusedForTheThresholdAreReported() throws Exception {
        AccessKey used = userWithKey("key-used", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:ListSecrets\",\"Resource\":\"*\"}]}");
        AccessKey idle = userWithKey("key-idle", null);
        try (SecretsManagerClient asUsed = ClockedClients.secretsManager(server,
                AwsBasicCredentials.create(used.accessKeyId(), used.secretAccessKey()), TestServer.REGION, clock)) {
            asUsed.listSecrets();
        }
        awaitLastUsed(used.accessKeyId(), clock.instant());

        clock.advance(Duration.ofDays(89));
        assertThat(subjects(report("{}"), "stale-access-key")).isEmpty();
        // The administrator's use is recorded off the request's path: wait for it, so the next report sees it.
        awaitLastUsed(server.adminCredentials().accessKeyId(), clock.instant());

        clock.advance(Duration.ofDays(1));
        JsonNode stale = report("{}");
        assertThat(subjects(stale, "stale-access-key")).as("the administrator signs every report: not stale")
                .containsExactly("key-idle", "key-used");
        assertThat(message(stale, "stale-access-key", "key-idle")).isEqualTo("The access key " + idle.accessKeyId() + " of "
                + userArn("key-idle") + " has never been used in the 90 days since it was created.");
        assertThat(message(stale, "stale-access-key", "key-used")).isEqualTo("The access key " + used.accessKeyId() + " of "
                + userArn("key-used") + " has not been used for 90 days.");
        JsonNode finding = findings(stale, "stale-access-key").getFirst();
        assertThat(finding.path("Subject").asText()).isEqualTo(userArn("key-idle"));
        assertThat(finding.has("Region")).as("IAM is global").isFalse();

        assertThat(subjects(report("{\"UnusedKeyDays\":120}"), "stale-access-key")).isEmpty();
    }

    // ---- environments --------------------------------------------------------------------------------------

    @Test
    void principalsThatCanReadMoreThanOneEnvironmentAreReportedForTheRegionsAskedAbout() {
        create(secrets, "prod/orders/db", inventoryTags());
        try (SecretsManagerClient eu = ClockedClients.secretsManager(server, server.adminCredentials(), EU, clock)) {
            create(eu, "dev/orders/db", inventoryTags());
        }
        iam.createUser(b -> b.userName("cross"));
        iam.putUserPolicy(b -> b.userName("cross").policyName("read").policyDocument(readPolicy("prod/*", "dev/*")));
        iam.createUser(b -> b.userName("prod-only"));
        iam.putUserPolicy(b -> b.userName("prod-only").policyName("read").policyDocument(readPolicy("prod/*")));

        JsonNode everywhere = report("{}");
        assertThat(subjects(everywhere, "multi-environment-reader")).containsExactly("cross");
        assertThat(message(everywhere, "multi-environment-reader", "cross"))
                .isEqualTo("The user cross can read secrets of 2 environments (dev, prod).");
        assertThat(names(everywhere.path("Inventory"))).containsExactlyInAnyOrder("prod/orders/db", "dev/orders/db");

        JsonNode us = report("{\"Region\":\"us-east-1\"}");
        assertThat(us.path("Region").asText()).isEqualTo("us-east-1");
        assertThat(subjects(us, "multi-environment-reader")).as("only prod is in us-east-1").isEmpty();
        assertThat(names(us.path("Inventory"))).containsExactly("prod/orders/db");
        assertThat(names(report("{\"Region\":\"eu-west-1\"}").path("Inventory"))).containsExactly("dev/orders/db");
    }

    // ---- the operation -----------------------------------------------------------------------------------------

    @Test
    void thresholdsAndTheRegionAreCheckedAgainstTheModel() {
        RawClient.Response zero = call(RawClient.of(server), "{\"UnreadDays\":0}");
        assertThat(zero.errorType()).as("%s", zero).isEqualTo("ValidationException");
        assertThat(zero.message()).isEqualTo("1 validation error detected: Value '0' at 'unreadDays' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1");

        RawClient.Response far = call(RawClient.of(server), "{\"ExpiryReminderDays\":366,\"UnusedKeyDays\":3651}");
        assertThat(far.errorType()).as("%s", far).isEqualTo("ValidationException");
        assertThat(far.message()).startsWith("2 validation errors detected:").contains("'expiryReminderDays'", "'unusedKeyDays'",
                "Member must have value less than or equal to 365", "Member must have value less than or equal to 3650");

        RawClient.Response text = call(RawClient.of(server), "{\"UnreadDays\":\"ninety\"}");
        assertThat(text.errorType()).as("%s", text).isEqualTo("SerializationException");

        RawClient.Response mars = call(RawClient.of(server), "{\"Region\":\"Mars\"}");
        assertThat(mars.errorType()).as("%s", mars).isEqualTo("ValidationException");
        assertThat(mars.message()).contains("'region'", "Member must satisfy regular expression pattern");

        try (TestServer usOnly = TestServer.start(c -> new CofferConfig(c.dataDir(), c.listenHost(), c.listenPort(),
                c.accountId(), Set.of("us-east-1"), c.tlsCertificate(), c.tlsKey(), c.tlsSelfSigned(), c.insecureHttp(),
                c.purgeInterval(), c.oidcJwks(), c.storage(), c.storagePassword(), c.rootKeyFile()))) {
            RawClient.Response elsewhere = call(RawClient.of(usOnly), "{\"Region\":\"eu-west-1\"}");
            assertThat(elsewhere.errorType()).as("%s", elsewhere).isEqualTo("InvalidParameterException");
            assertThat(elsewhere.message()).isEqualTo("The region eu-west-1 is not a region this server serves.");
            assertThat(call(RawClient.of(usOnly), "{\"Region\":\"us-east-1\"}").ok()).isTrue();
        }
    }

    @Test
    void theReportIsAuthorizedByCofferHygieneReport() {
        create(secrets, "prod/guarded", inventoryTags());
        AccessKey nobody = userWithKey("no-report", null);
        AccessKey auditor = userWithKey("auditor", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"coffer:HygieneReport\",\"Resource\":\"*\"}]}");

        RawClient.Response denied = call(new RawClient(server.endpoint(),
                AwsBasicCredentials.create(nobody.accessKeyId(), nobody.secretAccessKey())), "{}");
        assertThat(denied.errorType()).as("%s", denied).isEqualTo("AccessDeniedException");
        assertThat(denied.message()).contains(userArn("no-report"), "coffer:HygieneReport");

        RawClient.Response allowed = call(new RawClient(server.endpoint(),
                AwsBasicCredentials.create(auditor.accessKeyId(), auditor.secretAccessKey())), "{}");
        assertThat(allowed.ok()).as("%s", allowed).isTrue();
        assertThat(names(allowed.json().path("Inventory"))).containsExactly("prod/guarded");
        assertNoValueIn(allowed.body());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** The report as the administrator, signed at the server's time; never with a secret's value in it. */
    private JsonNode report(String body) {
        RawClient.Response r = call(RawClient.of(server), body);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertNoValueIn(r.body());
        return r.json();
    }

    private RawClient.Response call(RawClient client, String body) {
        return client.request(null).target(AccessService.TARGET_PREFIX + ".HygieneReport").service(AccessService.SIGNING_NAME)
                .signedAt(clock.instant()).body(body).send();
    }

    private void assertNoValueIn(String body) {
        for (String value : values) assertThat(body).as("a secret's value").doesNotContain(value);
    }

    private void create(SecretsManagerClient client, String name, Tag... tags) {
        client.createSecret(b -> b.name(name).secretString(value()).tags(tags));
    }

    private String value() {
        String value = "hygiene-value-" + UUID.randomUUID();
        values.add(value);
        return value;
    }

    private void rotateAutomatically(String name, long days) {
        secrets.rotateSecret(b -> b.secretId(name).rotationLambdaARN("arn:aws:lambda:us-east-1:" + account + ":function:rotator")
                .rotationRules(r -> r.automaticallyAfterDays(days)).rotateImmediately(false));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static Tag[] inventoryTags() {
        return new Tag[] {tag("owner", "ops"), tag("classification", "Medium"), tag("rotation-days", "3650")};
    }

    private AccessKey userWithKey(String name, String policy) {
        iam.createUser(b -> b.userName(name));
        if (policy != null) iam.putUserPolicy(b -> b.userName(name).policyName("p").policyDocument(policy));
        return iam.createAccessKey(b -> b.userName(name)).accessKey();
    }

    /** Waits until the key's last use, recorded off the request's path, is at least {@code notBefore} (to the second). */
    private void awaitLastUsed(String accessKeyId, Instant notBefore) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        Instant wanted = notBefore.truncatedTo(ChronoUnit.SECONDS);
        while (Instant.now().isBefore(deadline)) {
            Instant last = iam.getAccessKeyLastUsed(b -> b.accessKeyId(accessKeyId)).accessKeyLastUsed().lastUsedDate();
            if (last != null && !last.isBefore(wanted)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the key's use was never recorded");
    }

    private String readPolicy(String... namePrefixes) {
        StringBuilder resources = new StringBuilder();
        for (String prefix : namePrefixes) {
            if (!resources.isEmpty()) resources.append(',');
            resources.append("\"arn:aws:secretsmanager:*:").append(account).append(":secret:").append(prefix).append('"');
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":[" + resources + "]}]}";
    }

    private String userArn(String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static List<String> texts(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> names(JsonNode inventory) {
        return StreamSupport.stream(inventory.spliterator(), false).map(n -> n.path("SecretName").asText()).toList();
    }

    private static JsonNode entry(JsonNode report, String name) {
        return StreamSupport.stream(report.path("Inventory").spliterator(), false)
                .filter(n -> n.path("SecretName").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the inventory: " + report.path("Inventory")));
    }

    private static List<JsonNode> findings(JsonNode report, String rule) {
        return StreamSupport.stream(report.path("Findings").spliterator(), false)
                .filter(f -> f.path("RuleId").asText().equals(rule)).toList();
    }

    /** The names of the subjects of one rule's findings, in the report's order. */
    private static List<String> subjects(JsonNode report, String rule) {
        return findings(report, rule).stream().map(f -> f.path("SubjectName").asText()).toList();
    }

    private static JsonNode finding(JsonNode report, String rule, String subjectName) {
        return findings(report, rule).stream().filter(f -> f.path("SubjectName").asText().equals(subjectName)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " finding for " + subjectName + ": " + report.path("Findings")));
    }

    private static String message(JsonNode report, String rule, String subjectName) {
        return finding(report, rule, subjectName).path("Message").asText();
    }

    private static String severity(JsonNode report, String rule, String subjectName) {
        return finding(report, rule, subjectName).path("Severity").asText();
    }

    private static Instant instantOf(JsonNode node, String field) {
        JsonNode at = node.path(field);
        assertThat(at.isNumber()).as("%s is epoch seconds: %s", field, node).isTrue();
        return Instant.ofEpochMilli(Math.round(at.asDouble() * 1000));
    }

}
