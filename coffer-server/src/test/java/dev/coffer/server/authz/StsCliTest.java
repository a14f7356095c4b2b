package dev.coffer.server.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.TestIssuer;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege path through the real AWS CLI: the administrator makes a role with `aws iam`,
 * hands out its session with `aws sts assume-role` (and a web identity gets one with
 * `aws sts assume-role-with-web-identity`), and the workload, holding nothing but the session in
 * its environment, reads its own secret and is refused its neighbour's.
 */
class StsCliTest {
    static final String ISSUER = "https://oidc.cli.test/cluster";
    static TestServer server;
    static Path scratch;
    static AwsCli cli;
    static TestIssuer issuer;
    static String account;
    static String roleArn;

    @BeforeAll
    static void workloadRole() throws IOException {
        scratch = Files.createTempDirectory("coffer-sts-cli-");
        issuer = new TestIssuer(ISSUER, scratch);
        server = TestServer.start(c -> c.withOidcJwks(issuer.pin()));
        cli = AwsCli.against(server, scratch);
        account = AwsCli.ok(cli.run("sts", "get-caller-identity")).get("Account").asText();
        AwsCli.ok(cli.run("secretsmanager", "create-secret", "--name", "prod/payment/stripe/api", "--secret-string", "fake-stripe"));
        AwsCli.ok(cli.run("secretsmanager", "create-secret", "--name", "prod/notifications/twilio/api", "--secret-string", "fake-twilio"));
        AwsCli.ok(cli.run("iam", "create-open-id-connect-provider", "--url", ISSUER, "--client-id-list", "sts.amazonaws.com"));
        roleArn = AwsCli.ok(cli.run("iam", "create-role", "--role-name", "payments-api", "--assume-role-policy-document", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"},
                  {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::%s:oidc-provider/oidc.cli.test/cluster"},
                   "Action":"sts:AssumeRoleWithWebIdentity",
                   "Condition":{"StringEquals":{"oidc.cli.test/cluster:sub":"system:serviceaccount:payments:api"}}}]}
                """.formatted(account, account))).at("/Role/Arn").asText();
        AwsCli.ok(cli.run("iam", "put-role-policy", "--role-name", "payments-api", "--policy-name", "read-stripe",
                "--policy-document", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"arn:aws:secretsmanager:us-east-1:%s:secret:prod/payment/stripe/*"}]}""".formatted(account)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (scratch != null) TestServer.deleteRecursively(scratch);
    }

    /** The session as a workload holds it: three environment variables, nothing else. */
    static Map<String, String> environmentOf(JsonNode credentials) {
        return Map.of("AWS_ACCESS_KEY_ID", credentials.get("AccessKeyId").asText(),
                "AWS_SECRET_ACCESS_KEY", credentials.get("SecretAccessKey").asText(),
                "AWS_SESSION_TOKEN", credentials.get("SessionToken").asText());
    }

    static void readsOnlyItsOwnSecret(Map<String, String> session, String sessionName) {
        JsonNode own = AwsCli.ok(cli.runAs(session, "secretsmanager", "get-secret-value", "--secret-id", "prod/payment/stripe/api"));
        assertThat(own.get("SecretString").asText()).isEqualTo("fake-stripe");
        AwsCli.failedWith(cli.runAs(session, "secretsmanager", "get-secret-value", "--secret-id", "prod/notifications/twilio/api"),
                "AccessDeniedException", "GetSecretValue", "User: arn:aws:sts::" + account + ":assumed-role/payments-api/"
                        + sessionName + " is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                        + "prod/notifications/twilio/api because no identity-based policy allows the "
                        + "secretsmanager:GetSecretValue action");
        JsonNode me = AwsCli.ok(cli.runAs(session, "sts", "get-caller-identity"));
        assertThat(me.get("Arn").asText()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/payments-api/" + sessionName);
    }

    @Test
    void assumeRole_givesASessionThatReadsOnlyItsSecret() {
        JsonNode assumed = AwsCli.ok(cli.run("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "pod-7",
                "--duration-seconds", "900"));
        assertThat(assumed.at("/AssumedRoleUser/Arn").asText()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/payments-api/pod-7");
        assertThat(assumed.at("/Credentials/AccessKeyId").asText()).startsWith("ASIA");
        readsOnlyItsOwnSecret(environmentOf(assumed.get("Credentials")), "pod-7");
    }

    @Test
    void assumeRoleWithWebIdentity_needsNoKeysAndIsJudgedByItsClaims() {
        String token = issuer.token("system:serviceaccount:payments:api", "sts.amazonaws.com", Instant.now());
        JsonNode assumed = AwsCli.ok(cli.runAs(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", roleArn,
                "--role-session-name", "payments-pod", "--web-identity-token", token));
        assertThat(assumed.get("SubjectFromWebIdentityToken").asText()).isEqualTo("system:serviceaccount:payments:api");
        readsOnlyItsOwnSecret(environmentOf(assumed.get("Credentials")), "payments-pod");

        String other = issuer.token("system:serviceaccount:billing:batch", "sts.amazonaws.com", Instant.now());
        AwsCli.failedWith(cli.runAs(Map.of(), "sts", "assume-role-with-web-identity", "--role-arn", roleArn,
                "--role-session-name", "billing-pod", "--web-identity-token", other),
                "AccessDenied", "AssumeRoleWithWebIdentity", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
}
