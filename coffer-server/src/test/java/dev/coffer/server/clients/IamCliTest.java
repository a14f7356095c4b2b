package dev.coffer.server.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IAM API driven by the real AWS CLI ({@code aws iam …} subprocesses) against a real server,
 * with the server's own {@code admin.credentials} and no other AWS configuration. The CLI decodes
 * IAM's URL-encoded policy documents itself, so these tests also show the encoding is IAM's.
 */
class IamCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private static TestServer server;
    private static Path scratch;
    private static AwsCli cli;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        scratch = Files.createTempDirectory("coffer-iam-cli-");
        cli = AwsCli.against(server, scratch);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (scratch != null) TestServer.deleteRecursively(scratch);
    }

    @Test
    void userWithInlinePolicyAndAccessKey() throws IOException {
        JsonNode created = ok("create-user", "--user-name", "cli-alice", "--path", "/cli/", "--tags", "Key=team,Value=pay");
        assertThat(created.at("/User/Arn").asText()).isEqualTo("arn:aws:iam::" + server.accountId() + ":user/cli/cli-alice");
        assertThat(created.at("/User/UserId").asText()).startsWith("AIDA");
        assertThat(ok("get-user", "--user-name", "cli-alice").at("/User/Tags/0/Value").asText()).isEqualTo("pay");
        assertThat(ok("get-user").at("/User/UserName").asText()).isEqualTo("coffer-admin");

        ok("put-user-policy", "--user-name", "cli-alice", "--policy-name", "ReadSecrets", "--policy-document", POLICY);
        JsonNode policy = ok("get-user-policy", "--user-name", "cli-alice", "--policy-name", "ReadSecrets");
        // The CLI URL-decodes IAM's document and parses it: an object, not a string.
        assertThat(policy.get("PolicyDocument").isObject()).isTrue();
        assertThat(policy.get("PolicyDocument")).isEqualTo(JSON.readTree(POLICY));
        assertThat(ok("list-user-policies", "--user-name", "cli-alice").get("PolicyNames").get(0).asText())
                .isEqualTo("ReadSecrets");

        JsonNode key = ok("create-access-key", "--user-name", "cli-alice");
        assertThat(key.at("/AccessKey/AccessKeyId").asText()).startsWith("AKIA");
        assertThat(key.at("/AccessKey/SecretAccessKey").asText()).hasSize(40);
        assertThat(key.at("/AccessKey/Status").asText()).isEqualTo("Active");
        String keyId = key.at("/AccessKey/AccessKeyId").asText();
        assertThat(ok("list-access-keys", "--user-name", "cli-alice").at("/AccessKeyMetadata/0/AccessKeyId").asText())
                .isEqualTo(keyId);

        fails("DeleteConflict", "DeleteUser", "Cannot delete entity, must delete access keys first.",
                "delete-user", "--user-name", "cli-alice");
        ok("delete-access-key", "--user-name", "cli-alice", "--access-key-id", keyId);
        ok("delete-user-policy", "--user-name", "cli-alice", "--policy-name", "ReadSecrets");
        ok("delete-user", "--user-name", "cli-alice");
        fails("NoSuchEntity", "GetUser", "The user with name cli-alice cannot be found.", "get-user", "--user-name", "cli-alice");
    }

    @Test
    void roleAndManagedPolicies() {
        JsonNode role = ok("create-role", "--role-name", "cli-role", "--assume-role-policy-document", TRUST,
                "--max-session-duration", "7200");
        assertThat(role.at("/Role/RoleId").asText()).startsWith("AROA");
        JsonNode got = ok("get-role", "--role-name", "cli-role");
        assertThat(got.at("/Role/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText()).isEqualTo("ec2.amazonaws.com");
        assertThat(got.at("/Role/MaxSessionDuration").asInt()).isEqualTo(7200);

        String arn = ok("create-policy", "--policy-name", "CliPolicy", "--policy-document", POLICY).at("/Policy/Arn").asText();
        ok("attach-role-policy", "--role-name", "cli-role", "--policy-arn", arn);
        ok("attach-role-policy", "--role-name", "cli-role", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        List<String> attached = new ArrayList<>();
        ok("list-attached-role-policies", "--role-name", "cli-role").get("AttachedPolicies")
                .forEach(p -> attached.add(p.get("PolicyArn").asText()));
        assertThat(attached).containsExactlyInAnyOrder(arn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(ok("get-policy-version", "--policy-arn", arn, "--version-id", "v1").at("/PolicyVersion/Document/Statement/0/Action")
                .asText()).isEqualTo("secretsmanager:GetSecretValue");

        fails("DeleteConflict", "DeleteRole", "Cannot delete entity, must detach all policies first.",
                "delete-role", "--role-name", "cli-role");
        ok("detach-role-policy", "--role-name", "cli-role", "--policy-arn", arn);
        ok("detach-role-policy", "--role-name", "cli-role", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        ok("delete-role", "--role-name", "cli-role");
        ok("delete-policy", "--policy-arn", arn);
    }

    @Test
    void listUsers_theCliFollowsMarkers() {
        for (int i = 0; i < 5; i++) ok("create-user", "--user-name", "cli-page-" + i, "--path", "/cli-paging/");
        JsonNode all = ok("list-users", "--path-prefix", "/cli-paging/", "--page-size", "2");
        List<String> names = new ArrayList<>();
        all.get("Users").forEach(u -> names.add(u.get("UserName").asText()));
        assertThat(names).containsExactly("cli-page-0", "cli-page-1", "cli-page-2", "cli-page-3", "cli-page-4");
        JsonNode first = ok("list-users", "--path-prefix", "/cli-paging/", "--max-items", "3");
        assertThat(first.get("Users")).hasSize(3);
        assertThat(first.has("NextToken")).isTrue();
    }

    // ---- running the CLI ----------------------------------------------------------------------------

    private static JsonNode ok(String... args) {
        return AwsCli.ok(cli.run(iam(args)));
    }

    private static void fails(String code, String operation, String message, String... args) {
        AwsCli.failedWith(cli.run(iam(args)), code, operation, message);
    }

    private static String[] iam(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "iam";
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }
}
