package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code coffer report} end to end: a real server, secrets and users made through the API with the CLI's
 * own client, the report printed as table, JSON and CSV, and the exit codes CI gates on.
 */
class ReportCliTest {
    private static final List<String> VALUES = new ArrayList<>();
    private static TestServer server;
    private static String account;

    @BeforeAll
    static void setUp() {
        server = TestServer.start();
        account = server.accountId();
        ApiClient us = client(TestServer.REGION);
        createSecret(us, "prod/cli-tagged", "owner", "payments", "classification", "High", "rotation-days", "365");
        createSecret(us, "cli-untagged");
        createSecret(us, "dev/cli-expired", "owner", "partners", "classification", "Low", "rotation-days", "365",
                "expires", "2020-01-31");
        createSecret(client("eu-west-1"), "dev/cli-eu", "owner", "ops", "classification", "Medium", "rotation-days", "90");
        us.query("iam", "CreateUser", "2010-05-08", Map.of("UserName", "cli-cross"));
        us.query("iam", "PutUserPolicy", "2010-05-08", Map.of("UserName", "cli-cross", "PolicyName", "read",
                "PolicyDocument", """
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                         "Resource":["arn:aws:secretsmanager:*:*:secret:prod/*","arn:aws:secretsmanager:*:*:secret:dev/*"]}]}"""));
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    private static ApiClient client(String region) {
        return new ApiClient(server.endpoint(), region, SharedCredentials.resolve("coffer-admin", server.adminCredentialsFile(), Map.of()));
    }

    private static void createSecret(ApiClient api, String name, String... tags) {
        String value = "cli-report-value-" + UUID.randomUUID();
        VALUES.add(value);
        ObjectNode body = ApiClient.JSON.createObjectNode().put("Name", name).put("SecretString", value)
                .put("ClientRequestToken", UUID.randomUUID().toString());
        ArrayNode list = body.putArray("Tags");
        for (int i = 0; i < tags.length; i += 2) list.addObject().put("Key", tags[i]).put("Value", tags[i + 1]);
        api.json("secretsmanager", "secretsmanager", "CreateSecret", body);
    }

    /** Runs the report as the administrator; whatever it printed, no secret's value is in it. */
    private static CliRun report(String... options) {
        List<String> words = new ArrayList<>(List.of("report"));
        words.addAll(List.of(options));
        CliRun run = CliRun.asAdmin(server, words.toArray(String[]::new));
        for (String value : VALUES) assertThat(run.out() + run.err()).as("a secret's value").doesNotContain(value);
        return run;
    }

    private static JsonNode json(String... options) throws Exception {
        List<String> words = new ArrayList<>(List.of(options));
        words.addAll(List.of("--output", "json"));
        CliRun run = report(words.toArray(String[]::new));
        assertThat(run.exit()).as("%s", run).isZero();
        return ApiClient.JSON.readTree(run.out());
    }

    private static List<String> field(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path(name).asText()).toList();
    }

    @Test
    void theTableListsFindingsMostSevereFirstWithASummary() {
        CliRun run = report();
        assertThat(run.exit()).as("%s", run).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("SEVERITY").contains("RULE", "REGION", "SUBJECT", "FINDING");
        String expired = lines.stream().filter(l -> l.contains("expired-secret")).findFirst().orElseThrow();
        assertThat(expired).startsWith("ERROR").contains("us-east-1", "dev/cli-expired",
                "The secret dev/cli-expired expired on 2020-01-31");
        assertThat(lines.get(1)).as("errors first").startsWith("ERROR");
        assertThat(expired.indexOf("dev/cli-expired")).as("aligned under its header").isEqualTo(lines.getFirst().indexOf("SUBJECT"));
        String cross = lines.stream().filter(l -> l.contains("multi-environment-reader")).findFirst().orElseThrow();
        assertThat(cross).as("a principal by its ARN, in no region").contains("arn:aws:iam::" + account + ":user/cli-cross")
                .contains(" - ");
        assertThat(run.out()).contains("missing-inventory", "cli-untagged").as("fully tagged and fresh").doesNotContain("prod/cli-tagged");
        assertThat(lines.getLast()).matches("\\d+ findings: 1 error, \\d+ warnings, \\d+ info\\.");
    }

    @Test
    void jsonIsTheServicesAnswer() throws Exception {
        JsonNode answer = json();
        assertThat(answer.path("AccountId").asText()).isEqualTo(account);
        assertThat(field(answer.path("Inventory"), "SecretName")).as("by region, then name")
                .containsExactly("dev/cli-eu", "cli-untagged", "dev/cli-expired", "prod/cli-tagged");
        assertThat(field(answer.path("Findings"), "RuleId")).contains("expired-secret", "missing-inventory",
                "multi-environment-reader").doesNotContain("unread-secret", "rotation-overdue", "stale-access-key");
        assertThat(answer.path("Rules").size()).isEqualTo(8);
    }

    @Test
    void csvHasAHeaderAndOneQuotedRowPerFinding() throws Exception {
        JsonNode answer = json();
        CliRun run = report("--output", "csv");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("\r\n");
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("severity,rule,subject,name,region,finding");
        assertThat(lines).hasSize(1 + answer.path("Findings").size());
        for (int i = 0; i < answer.path("Findings").size(); i++) {
            JsonNode f = answer.path("Findings").get(i);
            assertThat(parse(lines.get(i + 1))).as("row %d", i).containsExactly(f.path("Severity").asText(),
                    f.path("RuleId").asText(), f.path("Subject").asText(), f.path("SubjectName").asText(""),
                    f.path("Region").asText(""), f.path("Message").asText());
        }
        String missing = lines.stream().filter(l -> l.contains("missing-inventory")).findFirst().orElseThrow();
        assertThat(missing).as("a message with commas is quoted")
                .endsWith(",\"The secret cli-untagged has no owner, classification, environment or rotation frequency.\"");
    }

    @Test
    void theInventoryPrintsAsATableOrCsv() {
        CliRun table = report("--inventory");
        assertThat(table.exit()).as("%s", table).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("SECRET").contains("OWNER", "CLASSIFICATION", "ENVIRONMENT", "ROTATION",
                "LAST READ", "LAST ROTATED", "EXPIRES");
        String tagged = lines.stream().filter(l -> l.startsWith("prod/cli-tagged ")).findFirst().orElseThrow();
        assertThat(tagged).contains("payments", "High", "prod", "365d (by hand)");
        assertThat(lines.stream().filter(l -> l.startsWith("dev/cli-expired ")).findFirst().orElseThrow()).endsWith("2020-01-31");

        CliRun csv = report("--inventory", "--output", "csv");
        assertThat(csv.exit()).as("%s", csv).isZero();
        List<String> rows = csv.out().lines().toList();
        assertThat(rows.getFirst()).isEqualTo("arn,name,region,owner,classification,environment,rotation_frequency_hours,"
                + "rotation_source,last_accessed,last_rotated,expires");
        List<String> untagged = parse(rows.stream().filter(l -> l.contains(",cli-untagged,")).findFirst().orElseThrow());
        assertThat(untagged.subList(1, 8)).containsExactly("cli-untagged", "us-east-1", "", "", "", "", "");
        List<String> expired = parse(rows.stream().filter(l -> l.contains(",dev/cli-expired,")).findFirst().orElseThrow());
        assertThat(expired.get(6)).isEqualTo(String.valueOf(365 * 24));
        assertThat(expired.get(7)).isEqualTo("RotationDaysTag");
        assertThat(expired.get(10)).isEqualTo("2020-01-31T00:00:00Z");
    }

    @Test
    void failOnMakesTheNamedRulesFindingsFailTheCommand() {
        assertThat(report("--fail-on", "expired-secret").exit()).isEqualTo(ReportCommand.FINDINGS);
        assertThat(report("--fail-on", "any").exit()).isEqualTo(ReportCommand.FINDINGS);
        assertThat(report("--fail-on", "rotation-overdue,unread-secret").exit()).as("no such findings").isZero();
        assertThat(report("--fail-on", "stale-access-key", "--output", "json").exit()).isZero();
        assertThat(report("--fail-on", "unread-secret,missing-inventory", "--output", "csv").exit()).isEqualTo(ReportCommand.FINDINGS);

        CliRun typo = report("--fail-on", "expired-secrets");
        assertThat(typo.exit()).as("%s", typo).isEqualTo(2);
        assertThat(typo.err()).contains("Unknown rule in --fail-on: expired-secrets", "expired-secret");
    }

    @Test
    void regionNarrowsTheSecretsReportedOn() throws Exception {
        JsonNode eu = json("--region", "eu-west-1");
        assertThat(eu.path("Region").asText()).isEqualTo("eu-west-1");
        assertThat(field(eu.path("Inventory"), "SecretName")).containsExactly("dev/cli-eu");
        assertThat(field(eu.path("Findings"), "RuleId")).doesNotContain("expired-secret", "multi-environment-reader");
        assertThat(json().has("Region")).as("without --region: every region").isFalse();
    }

    @Test
    void aThresholdOutOfBoundsIsTheServicesValidationError() {
        CliRun run = report("--unread-days", "0");
        assertThat(run.exit()).as("%s", run).isEqualTo(ApiVerb.SERVICE_ERROR);
        assertThat(run.err().strip()).isEqualTo("An error occurred (ValidationException): 1 validation error detected: Value '0' at 'unreadDays' failed to satisfy constraint: Member must "
                + "have value greater than or equal to 1");

        CliRun shorter = report("--unread-days", "1", "--expiry-reminder-days", "365", "--unused-key-days", "1", "--output", "json");
        assertThat(shorter.exit()).as("%s", shorter).isZero();
        assertThat(shorter.out()).contains("\"UnreadDays\" : 1", "\"ExpiryReminderDays\" : 365", "\"UnusedKeyDays\" : 1");
    }

    @Test
    void csvIsOfferedOnlyWhereTheVerbHasIt() {
        CliRun lint = CliRun.asAdmin(server, "access", "lint", "--output", "csv");
        assertThat(lint.exit()).as("%s", lint).isEqualTo(2);
        assertThat(lint.err()).contains("--output csv is not offered by this command");
    }

    @Test
    void csvFieldsWithCommasQuotesOrLineBreaksAreQuoted() {
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("a, b")).isEqualTo("\"a, b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(parse(Csv.field("say \"hi\", twice") + ",x")).containsExactly("say \"hi\", twice", "x");
    }

    /** One CSV line as RFC 4180 reads it (no line breaks inside fields). */
    private static List<String> parse(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                current.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
