package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.TestIssuer;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A workload entering its role with a web-identity token (unsigned AssumeRoleWithWebIdentity) is recorded as
 * CloudTrail records it — a {@code WebIdentityUser} named by its token's subject and provider — in the role's
 * account, and the token itself never reaches the trail.
 */
class WebIdentityAuditTest {
    private static final String ISSUER = "https://oidc.cluster.test/id/PAYMENTS";
    private static final String SUBJECT = "system:serviceaccount:payments:api";
    private static final String AUDIENCE = "sts.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static TestServer server;
    private static String token;
    private static String keyId;

    @BeforeAll
    static void webIdentitySession() {
        MutableClock clock = new MutableClock(Instant.now());
        TestIssuer issuer = new TestIssuer(ISSUER, dir);
        server = TestServer.start(c -> c.withOidcJwks(issuer.pin()), clock);
        String account = server.accountId();
        IamClient iam = Clients.iam(server, Clients.of(server.adminCredentials()));
        iam.createOpenIDConnectProvider(r -> r.url(ISSUER).clientIDList(AUDIENCE));
        String roleArn = iam.createRole(r -> r.roleName("payments-api").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                  "Principal":{"Federated":"arn:aws:iam::%s:oidc-provider/oidc.cluster.test/id/PAYMENTS"},
                  "Action":"sts:AssumeRoleWithWebIdentity"}]}""".formatted(account))).role().arn();
        token = issuer.token(SUBJECT, AUDIENCE, clock.instant());
        keyId = Clients.sts(server, AnonymousCredentialsProvider.create()).assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                .roleSessionName("payments-pod").webIdentityToken(token)).credentials().accessKeyId();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theWebIdentity_isAWebIdentityUser_andItsTokenStaysOut() throws Exception {
        JsonNode answer = AwsCli.ok(AwsCli.against(server, dir).run("cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity"));
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode e : answer.path("Events")) records.add(JSON.readTree(e.path("CloudTrailEvent").asText()));
        assertThat(records).hasSize(1);
        JsonNode r = records.getFirst();
        JsonNode id = r.path("userIdentity");
        assertThat(id.path("type").asText()).isEqualTo("WebIdentityUser");
        assertThat(id.path("userName").asText()).isEqualTo(SUBJECT);
        assertThat(id.path("identityProvider").asText()).isEqualTo("oidc.cluster.test/id/PAYMENTS");
        assertThat(id.path("principalId").asText()).isEqualTo("oidc.cluster.test/id/PAYMENTS:" + AUDIENCE + ":" + SUBJECT);
        assertThat(r.path("recipientAccountId").asText()).isEqualTo(server.accountId());
        assertThat(r.path("requestParameters").path("roleSessionName").asText()).isEqualTo("payments-pod");
        assertThat(r.path("responseElements").path("credentials").path("accessKeyId").asText()).isEqualTo(keyId);
        assertThat(r.path("responseElements").path("subjectFromWebIdentityToken").asText()).isEqualTo(SUBJECT);
        assertThat(r.toString()).doesNotContain(token).doesNotContain("webIdentityToken");
        assertThat(answer.path("Events").get(0).path("Username").asText()).isEqualTo(SUBJECT);
    }
}
