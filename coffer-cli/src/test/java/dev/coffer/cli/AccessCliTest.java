package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access and account verbs end to end: a real server, users and policies made through the IAM
 * API (with the CLI's own client), the verbs run as a user runs them.
 *
 * <p>Needs the IAM API, the identity directory and the policy evaluator (IAM branches) and the
 * Organizations API (accounts branch): until those are merged these tests fail.
 */
class AccessCliTest {
    private static TestServer server;
    private static ApiClient admin;
    private static String account;

    @BeforeAll
    static void setUp() {
        server = TestServer.start();
        account = server.accountId();
        admin = new ApiClient(server.endpoint(), TestServer.REGION,
                SharedCredentials.resolve("coffer-admin", server.adminCredentialsFile(), Map.of()));
        iam("CreateUser", "UserName", "cli-alice");
        iam("PutUserPolicy", "UserName", "cli-alice", "PolicyName", "ReadProd", "PolicyDocument", """
                {"Version":"2012-10-17","Statement":[{"Sid":"ReadProd","Effect":"Allow",
                 "Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:prod/*"}]}""");
        iam("CreateUser", "UserName", "cli-wild");
        iam("PutUserPolicy", "UserName", "cli-wild", "PolicyName", "Everything", "PolicyDocument", """
                {"Version":"2012-10-17","Statement":[{"Sid":"AllSecrets","Effect":"Allow",
                 "Action":"secretsmanager:*","Resource":"*"}]}""");
        createSecret("prod/cli-db");
        createSecret("dev/cli-api");
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    private static void iam(String action, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) form.put(params[i], params[i + 1]);
        admin.query("iam", action, "2010-05-08", form);
    }

    private static void createSecret(String name) {
        admin.json("secretsmanager", "secretsmanager", "CreateSecret", ApiClient.JSON.createObjectNode().put("Name", name)
                .put("SecretString", UUID.randomUUID().toString()).put("ClientRequestToken", UUID.randomUUID().toString()));
    }

    private static String user(String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertThat(run.exit()).as("%s", run).isZero();
        return ApiClient.JSON.readTree(run.out());
    }

    private static List<String> texts(JsonNode list, String field) {
        return StreamSupport.stream(list.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void whoCanPrintsATableOfPrincipalsAndTheStatementsThatAllowThem() {
        CliRun run = CliRun.asAdmin(server, "access", "who-can", "prod/cli-db");
        assertThat(run.exit()).as("%s", run).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(1)).startsWith("PRINCIPAL").contains("TYPE", "VIA GROUP", "CONDITIONAL", "DECIDED BY");
        assertThat(run.out()).contains(user("cli-alice"), "ReadProd", user("cli-wild"), "AllSecrets");
        String alice = lines.stream().filter(l -> l.startsWith(user("cli-alice") + " ")).findFirst().orElseThrow();
        // Aligned: every column starts where its header does.
        assertThat(alice.indexOf("User")).isEqualTo(lines.get(1).indexOf("TYPE"));
    }

    @Test
    void whoCanAsJsonNamesTheDecidingStatement() throws Exception {
        JsonNode answer = json(CliRun.asAdmin(server, "access", "who-can", "prod/cli-db", "--output", "json"));
        assertThat(answer.path("Action").asText()).isEqualTo("secretsmanager:GetSecretValue");
        JsonNode alice = StreamSupport.stream(answer.path("Principals").spliterator(), false)
                .filter(p -> p.path("PrincipalArn").asText().equals(user("cli-alice"))).findFirst().orElseThrow();
        assertThat(alice.path("PrincipalType").asText()).isEqualTo("User");
        assertThat(alice.path("Conditional").asBoolean()).isFalse();
        assertThat(texts(alice.path("DecidingStatements"), "Sid")).containsExactly("ReadProd");
    }

    @Test
    void whoCanTakesAnotherAction() throws Exception {
        JsonNode answer = json(CliRun.asAdmin(server, "access", "who-can", "prod/cli-db", "--action",
                "secretsmanager:DeleteSecret", "--output", "json"));
        assertThat(texts(answer.path("Principals"), "PrincipalArn")).contains(user("cli-wild")).doesNotContain(user("cli-alice"));
    }

    @Test
    void whatCanListsOnlyTheSecretsThePrincipalCanRead() throws Exception {
        JsonNode answer = json(CliRun.asAdmin(server, "access", "what-can", user("cli-alice"), "--output", "json"));
        assertThat(texts(answer.path("Secrets"), "SecretName")).containsExactly("prod/cli-db");

        CliRun table = CliRun.asAdmin(server, "access", "what-can", user("cli-alice"));
        assertThat(table.exit()).as("%s", table).isZero();
        assertThat(table.out()).contains("prod/cli-db", "us-east-1", "ReadProd").doesNotContain("dev/cli-api");
    }

    @Test
    void lintReportsTheWildcardGrantAndFailsOnlyWhenAsked() {
        CliRun report = CliRun.asAdmin(server, "access", "lint");
        assertThat(report.exit()).as("%s", report).isZero();
        assertThat(report.out()).contains("ERROR", "wildcard-grant", "multi-environment-reader");

        assertThat(CliRun.asAdmin(server, "access", "lint", "--fail-on", "error").exit()).isEqualTo(LintCommand.FINDINGS);
        assertThat(CliRun.asAdmin(server, "access", "lint", "--fail-on", "warning").exit()).isEqualTo(LintCommand.FINDINGS);
    }

    @Test
    void accountCreatePrintsTheNewAccountIdAndListShowsIt() throws Exception {
        CliRun created = CliRun.asAdmin(server, "account", "create", "team-cli", "--email", "team-cli@example.com");
        assertThat(created.exit()).as("%s", created).isZero();
        String id = created.out().strip();
        assertThat(id).matches("\\d{12}");

        CliRun table = CliRun.asAdmin(server, "account", "list");
        assertThat(table.exit()).as("%s", table).isZero();
        assertThat(table.out()).contains(id, "team-cli", "team-cli@example.com");
        JsonNode listed = json(CliRun.asAdmin(server, "account", "list", "--output", "json"));
        assertThat(texts(listed.path("Accounts"), "Id")).contains(id, account);
    }
}
