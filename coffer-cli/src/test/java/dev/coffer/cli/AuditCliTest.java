package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.audit.AuditSettings;
import dev.coffer.server.testkit.TestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code coffer audit} end to end: a session made with the CLI's own client (a write, reads, a denial), then the
 * events found by secret, principal, source IP and outcome, in table, JSON and CSV; no secret value in any output.
 */
class AuditCliTest {
    private static final String VALUE = "cli-audit-plaintext-" + UUID.randomUUID();
    private static final String NAME = "prod/cli-audit-db";
    private static final String ROLE_SECRET = "prod/cli-audit-stripe";
    private static TestServer server;
    private static String account;

    @BeforeAll
    static void session() {
        server = TestServer.start(c -> c.withAudit(new AuditSettings(true, Duration.ofMinutes(15), null)));
        account = server.accountId();
        ApiClient admin = new ApiClient(server.endpoint(), TestServer.REGION,
                SharedCredentials.resolve("coffer-admin", server.adminCredentialsFile(), Map.of()));
        iam(admin, "CreateUser", "UserName", "cli-snoop");
        var key = admin.query("iam", "CreateAccessKey", "2010-05-08", Map.of("UserName", "cli-snoop"));
        String keyId = ApiClient.text(key.getDocumentElement(), "AccessKeyId");
        String secretKey = ApiClient.text(key.getDocumentElement(), "SecretAccessKey");
        admin.json("secretsmanager", "secretsmanager", "CreateSecret", ApiClient.JSON.createObjectNode().put("Name", NAME)
                .put("SecretString", VALUE).put("ClientRequestToken", UUID.randomUUID().toString()));
        admin.json("secretsmanager", "secretsmanager", "GetSecretValue", ApiClient.JSON.createObjectNode().put("SecretId", NAME));
        ApiClient snoop = new ApiClient(server.endpoint(), TestServer.REGION,
                SharedCredentials.resolve(null, null, Map.of("AWS_ACCESS_KEY_ID", keyId, "AWS_SECRET_ACCESS_KEY", secretKey)));
        try {
            snoop.json("secretsmanager", "secretsmanager", "GetSecretValue", ApiClient.JSON.createObjectNode().put("SecretId", NAME));
        } catch (ApiException expected) {
            assertThat(expected.formatted()).contains("AccessDeniedException");
        }
        // A workload's role session reads another secret.
        admin.json("secretsmanager", "secretsmanager", "CreateSecret", ApiClient.JSON.createObjectNode().put("Name", ROLE_SECRET)
                .put("SecretString", VALUE).put("ClientRequestToken", UUID.randomUUID().toString()));
        iam(admin, "CreateRole", "RoleName", "cli-payments", "AssumeRolePolicyDocument", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                 "Action":"sts:AssumeRole"}]}""".formatted(account));
        iam(admin, "PutRolePolicy", "RoleName", "cli-payments", "PolicyName", "read", "PolicyDocument", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""");
        var session = admin.query("sts", "AssumeRole", "2011-06-15", Map.of("RoleArn", "arn:aws:iam::" + account
                + ":role/cli-payments", "RoleSessionName", "pod-7"));
        ApiClient pod = new ApiClient(server.endpoint(), TestServer.REGION, SharedCredentials.resolve(null, null, Map.of(
                "AWS_ACCESS_KEY_ID", ApiClient.text(session.getDocumentElement(), "AccessKeyId"),
                "AWS_SECRET_ACCESS_KEY", ApiClient.text(session.getDocumentElement(), "SecretAccessKey"),
                "AWS_SESSION_TOKEN", ApiClient.text(session.getDocumentElement(), "SessionToken"))));
        pod.json("secretsmanager", "secretsmanager", "GetSecretValue", ApiClient.JSON.createObjectNode().put("SecretId", ROLE_SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void iam(ApiClient admin, String action, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) form.put(params[i], params[i + 1]);
        admin.query("iam", action, "2010-05-08", form);
    }

    private static List<JsonNode> json(CliRun run) throws Exception {
        assertThat(run.exit()).as("%s", run).isZero();
        return StreamSupport.stream(ApiClient.JSON.readTree(run.out()).spliterator(), false).toList();
    }

    @Test
    void bySecret_theSessionsEventsOnIt_newestFirst_withPrincipalAndOutcome() throws Exception {
        List<JsonNode> events = json(CliRun.asAdmin(server, "audit", "--secret", NAME, "--output", "json"));
        assertThat(events).extracting(e -> e.path("eventName").asText())
                .containsExactly("GetSecretValue", "GetSecretValue", "CreateSecret");
        assertThat(events.get(0).path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::" + account + ":user/cli-snoop");
        assertThat(events.get(0).path("errorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(events.get(1).path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::" + account
                + ":user/coffer-admin");
        assertThat(events).allSatisfy(e -> assertThat(e.path("sourceIPAddress").asText()).isEqualTo("127.0.0.1"));
    }

    @Test
    void filtersCombine_outcomePrincipalAndSourceIp() throws Exception {
        assertThat(json(CliRun.asAdmin(server, "audit", "--secret", NAME, "--outcome", "denied", "--output", "json")))
                .extracting(e -> e.path("userIdentity").path("userName").asText()).containsExactly("cli-snoop");
        assertThat(json(CliRun.asAdmin(server, "audit", "--secret", NAME, "--outcome", "success", "--output", "json")))
                .extracting(e -> e.path("eventName").asText()).containsExactly("GetSecretValue", "CreateSecret");
        assertThat(json(CliRun.asAdmin(server, "audit", "--principal", "cli-snoop", "--output", "json")))
                .extracting(e -> e.path("eventName").asText()).containsExactly("GetSecretValue");
        assertThat(json(CliRun.asAdmin(server, "audit", "--principal", "arn:aws:iam::" + account + ":user/cli-snoop",
                "--since", "1h", "--output", "json"))).hasSize(1);
        assertThat(json(CliRun.asAdmin(server, "audit", "--secret", NAME, "--source-ip", "10.9.9.9", "--output", "json")))
                .isEmpty();
    }

    @Test
    void tableAndCsv_sayTheSameInTheirOwnShape_andNeverAValue() {
        CliRun table = CliRun.asAdmin(server, "audit", "--secret", NAME);
        assertThat(table.exit()).as("%s", table).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("TIME").contains("EVENT", "PRINCIPAL", "SOURCE IP", "OUTCOME", "RESOURCE");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("GetSecretValue", "user/cli-snoop", "127.0.0.1", "denied (AccessDeniedException)");
        CliRun csv = CliRun.asAdmin(server, "audit", "--secret", NAME, "--output", "csv");
        assertThat(csv.out().lines().toList()).hasSize(4).first().asString()
                .isEqualTo("eventTime,eventName,eventSource,principal,accessKeyId,sourceIPAddress,outcome,errorCode,resources,eventID");
        assertThat(csv.out().lines().skip(1).toList()).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(10));
        for (CliRun run : List.of(table, csv, CliRun.asAdmin(server, "audit", "--output", "json", "--max", "500"))) {
            assertThat(run.out() + run.err()).doesNotContain(VALUE);
        }
    }

    @Test
    void aRoleSession_isFoundByRoleArn_andRecordedAsCloudTrailRecordsAssumedRoles() throws Exception {
        List<JsonNode> events = json(CliRun.asAdmin(server, "audit", "--principal", "arn:aws:iam::" + account
                + ":role/cli-payments", "--output", "json"));
        assertThat(events).extracting(e -> e.path("eventName").asText()).containsExactly("GetSecretValue");
        JsonNode id = events.getFirst().path("userIdentity");
        assertThat(id.path("type").asText()).isEqualTo("AssumedRole");
        assertThat(id.path("arn").asText()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/cli-payments/pod-7");
        assertThat(id.path("accessKeyId").asText()).startsWith("ASIA");
        assertThat(id.path("sessionContext").path("sessionIssuer").path("type").asText()).isEqualTo("Role");
        assertThat(id.path("sessionContext").path("sessionIssuer").path("arn").asText())
                .isEqualTo("arn:aws:iam::" + account + ":role/cli-payments");
        assertThat(id.path("sessionContext").path("sessionIssuer").path("userName").asText()).isEqualTo("cli-payments");
        assertThat(id.path("sessionContext").path("attributes").path("creationDate").asText()).endsWith("Z");
        assertThat(json(CliRun.asAdmin(server, "audit", "--principal", "pod-7", "--output", "json"))).hasSize(1);
        JsonNode assumed = json(CliRun.asAdmin(server, "audit", "--principal", "coffer-admin", "--output", "json", "--max", "500"))
                .stream().filter(e -> e.path("eventName").asText().equals("AssumeRole")).findFirst().orElseThrow();
        assertThat(assumed.path("eventSource").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(assumed.path("requestParameters").path("roleSessionName").asText()).isEqualTo("pod-7");
        JsonNode credentials = assumed.path("responseElements").path("credentials");
        assertThat(credentials.path("accessKeyId").asText()).isEqualTo(id.path("accessKeyId").asText());
        assertThat(credentials.has("secretAccessKey")).as("a credential never reaches the trail").isFalse();
        assertThat(credentials.has("sessionToken")).isFalse();
        assertThat(json(CliRun.asAdmin(server, "audit", "--secret", ROLE_SECRET, "--output", "json")))
                .extracting(e -> e.path("userIdentity").path("type").asText()).containsExactly("AssumedRole", "IAMUser");
    }

    @Test
    void badTimesAreRefusedBeforeAnyCall() {
        CliRun run = CliRun.asAdmin(server, "audit", "--since", "yesterday");
        assertThat(run.exit()).isEqualTo(255);
        assertThat(run.err()).contains("not a time: yesterday");
    }
}
