package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.crypto.SigV4Signer;
import dev.coffer.server.testkit.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The CLI's API client against a real server, as the bootstrap administrator: its signatures are
 * accepted, AWS errors come back with their code and message and are printed as the AWS CLI prints
 * them, and exit codes are the AWS CLI's (254 service error, 255 no call made).
 */
class ApiClientTest {
    private static TestServer server;
    private static SigV4Signer.Credentials admin;

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = SharedCredentials.resolve("coffer-admin", server.adminCredentialsFile(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void restoreEnvironment() {
        ClientOptions.environment = System.getenv();
    }

    private static ApiClient client() {
        return new ApiClient(server.endpoint(), TestServer.REGION, admin);
    }

    @Test
    void jsonCallsAreSignedSoTheServerAcceptsThemAsTheAdmin() {
        String name = "cli/signed-" + UUID.randomUUID();
        var create = ApiClient.JSON.createObjectNode().put("Name", name).put("SecretString", UUID.randomUUID().toString())
                .put("ClientRequestToken", UUID.randomUUID().toString());
        JsonNode created = client().json("secretsmanager", "secretsmanager", "CreateSecret", create);
        assertThat(created.path("Name").asText()).isEqualTo(name);

        JsonNode listed = client().json("secretsmanager", "secretsmanager", "ListSecrets", null);
        assertThat(listed.path("SecretList").findValuesAsText("Name")).contains(name);
    }

    @Test
    void jsonErrorsCarryTheAwsCodeAndMessage() {
        var describe = ApiClient.JSON.createObjectNode().put("SecretId", "cli/no-such-secret");
        assertThatThrownBy(() -> client().json("secretsmanager", "secretsmanager", "DescribeSecret", describe))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("ResourceNotFoundException");
                    assertThat(e.formatted()).isEqualTo(
                            "An error occurred (ResourceNotFoundException): Secrets Manager can't find the specified secret.");
                });
    }

    @Test
    void queryCallsAreSignedAndQueryErrorsParsed() {
        ApiClient wrongSecret = new ApiClient(server.endpoint(), TestServer.REGION,
                new SigV4Signer.Credentials(admin.accessKeyId(), "not-the-secret-key-0000000000000000000000", null));
        assertThatThrownBy(() -> wrongSecret.query("sts", "GetCallerIdentity", "2011-06-15", Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    }

    /** Waits for STS to be registered in CofferServer (the IAM branch). */
    @Test
    void getCallerIdentityNamesTheBootstrapAdmin() {
        Document answer = client().query("sts", "GetCallerIdentity", "2011-06-15", Map.of());
        assertThat(ApiClient.text(answer.getDocumentElement(), "Arn"))
                .isEqualTo("arn:aws:iam::" + server.accountId() + ":user/coffer-admin");
        assertThat(ApiClient.text(answer.getDocumentElement(), "Account")).isEqualTo(server.accountId());
    }

    @Test
    void aServiceErrorIsPrintedAsTheAwsCliPrintsItAndExits254() {
        CliRun run = CliRun.asAdmin(server, "access", "who-can", "cli/no-such-secret");
        assertThat(run.exit()).as("%s", run).isEqualTo(254);
        assertThat(run.err().strip()).isEqualTo(
                "An error occurred (ResourceNotFoundException): Secrets Manager can't find the specified secret.");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedWith254() throws Exception {
        Path file = scratch.resolve("credentials");
        Files.writeString(file, "[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
                + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        CliRun run = CliRun.of("access", "lint", "--endpoint-url", server.endpoint().toString(), "--credentials-file",
                file.toString(), "--profile", "other");
        assertThat(run.exit()).as("%s", run).isEqualTo(254);
        assertThat(run.err()).startsWith("An error occurred (UnrecognizedClientException): ");
        assertThat(run.err()).doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void noCredentialsMeansNoCallAndExit255() {
        CliRun run = CliRun.of("access", "lint", "--endpoint-url", server.endpoint().toString(), "--credentials-file",
                scratch.resolve("missing").toString());
        assertThat(run.exit()).as("%s", run).isEqualTo(255);
        assertThat(run.err()).contains("Unable to locate credentials");

        CliRun noProfile = CliRun.of("access", "lint", "--endpoint-url", server.endpoint().toString(), "--credentials-file",
                server.adminCredentialsFile().toString(), "--profile", "nobody");
        assertThat(noProfile.exit()).isEqualTo(255);
        assertThat(noProfile.err()).contains("The config profile (nobody) could not be found");
    }

    @Test
    void anUnreachableEndpointExits255() {
        CliRun run = CliRun.of("access", "who-can", "x", "--endpoint-url", "http://127.0.0.1:1", "--credentials-file",
                server.adminCredentialsFile().toString());
        assertThat(run.exit()).as("%s", run).isEqualTo(255);
        assertThat(run.err()).contains("Could not connect to the endpoint URL");

        CliRun lint = CliRun.of("access", "lint", "--fail-on", "warning", "--output", "json", "--endpoint-url",
                "http://127.0.0.1:1", "--credentials-file", server.adminCredentialsFile().toString());
        assertThat(lint.exit()).as("options parse; no call could be made: %s", lint).isEqualTo(255);
    }

    @Test
    void environmentCredentialsAreUsedWhenNoProfileIsGiven() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", admin.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", admin.secretAccessKey());
        ClientOptions.environment = env;
        CliRun run = CliRun.of("access", "who-can", "cli/no-such-secret", "--endpoint-url", server.endpoint().toString(),
                "--credentials-file", scratch.resolve("missing").toString());
        // Authenticated as the admin (the file does not exist): the answer is about the secret, not the caller.
        assertThat(run.exit()).as("%s", run).isEqualTo(254);
        assertThat(run.err()).contains("(ResourceNotFoundException)");
    }

    @Test
    void anExplicitProfileWinsOverTheEnvironment() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", "x".repeat(40));
        assertThat(SharedCredentials.resolve("coffer-admin", server.adminCredentialsFile(), env).accessKeyId())
                .isEqualTo(admin.accessKeyId());
        assertThat(SharedCredentials.resolve(null, server.adminCredentialsFile(), env).accessKeyId())
                .isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(SharedCredentials.resolve(null, server.adminCredentialsFile(), Map.of()).toString())
                .doesNotContain(admin.secretAccessKey());
    }

    @Test
    void tablesAlignTheirColumns() {
        StringWriter text = new StringWriter();
        new Table("PRINCIPAL", "TYPE").row("arn:aws:iam::111122223333:user/alice", "User").row("r", null)
                .print(new PrintWriter(text));
        assertThat(text.toString().lines().toList()).containsExactly(
                "PRINCIPAL                             TYPE",
                "arn:aws:iam::111122223333:user/alice  User",
                "r                                     -");
    }
}
