package dev.coffer.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.AwsCli;
import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A call from one account on another account's secret is found by both accounts, as CloudTrail delivers a
 * cross-account call to both: the secret's owner sees who from elsewhere read it, or tried to; a third account
 * sees nothing of it.
 */
class CrossAccountAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static String accountA;
    private static String accountB;
    private static String secretArn;
    private static Credentials bAdmin;
    private static Credentials cAdmin;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void twoAccountsAndARead() {
        server = TestServer.start();
        accountA = server.accountId();
        var admin = Clients.of(server.adminCredentials());
        SecretsManagerClient adminA = Clients.secretsManager(server, admin);
        secretArn = adminA.createSecret(r -> r.name("shared/reporting/db").secretString("cross-account-plaintext")).arn();
        OrganizationsClient org = Clients.organizations(server, admin);
        accountB = org.createAccount(r -> r.accountName("team-b").email("b@example.com")).createAccountStatus().accountId();
        String accountC = org.createAccount(r -> r.accountName("team-c").email("c@example.com")).createAccountStatus().accountId();
        StsClient sts = Clients.sts(server, admin);
        bAdmin = sts.assumeRole(r -> r.roleSessionName("setup")
                .roleArn("arn:aws:iam::" + accountB + ":role/OrganizationAccountAccessRole")).credentials();
        cAdmin = sts.assumeRole(r -> r.roleSessionName("setup")
                .roleArn("arn:aws:iam::" + accountC + ":role/OrganizationAccountAccessRole")).credentials();
        IamClient iamB = Clients.iam(server, Clients.of(bAdmin));
        String readerArn = iamB.createRole(r -> r.roleName("reporting-reader").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                  "Action":"sts:AssumeRole"}]}""".formatted(accountB))).role().arn();
        iamB.putRolePolicy(r -> r.roleName("reporting-reader").policyName("read-a").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"%s"}]}""".formatted(secretArn)));
        Credentials job = Clients.sts(server, Clients.of(bAdmin)).assumeRole(r -> r.roleArn(readerArn)
                .roleSessionName("report-job")).credentials();
        SecretsManagerClient reader = Clients.secretsManager(server, Clients.of(job));
        // Refused first (the owner has not agreed), then allowed by the secret's resource policy.
        assertThat(catchThrowableOfType(AwsServiceException.class, () -> reader.getSecretValue(r -> r.secretId(secretArn)))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        adminA.putResourcePolicy(r -> r.secretId(secretArn).resourcePolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},
                  "Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""".formatted(readerArn)));
        reader.getSecretValue(r -> r.secretId(secretArn));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<JsonNode> lookupAs(Credentials who, String name) throws Exception {
        AwsCli aws = AwsCli.against(server, scratch);
        Map<String, String> env = who == null ? null : Map.of("AWS_ACCESS_KEY_ID", who.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
                who.secretAccessKey(), "AWS_SESSION_TOKEN", who.sessionToken());
        JsonNode answer = AwsCli.ok(aws.runAs(env, "cloudtrail", "lookup-events", "--lookup-attributes",
                "AttributeKey=ResourceName,AttributeValue=" + name));
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode e : answer.path("Events")) records.add(JSON.readTree(e.path("CloudTrailEvent").asText()));
        return records;
    }

    @Test
    void theOwnerSeesTheOtherAccountsReads_andItsRefusals() throws Exception {
        List<JsonNode> seenByOwner = lookupAs(null, "shared/reporting/db");
        List<JsonNode> fromB = seenByOwner.stream().filter(r -> r.path("userIdentity").path("accountId").asText().equals(accountB))
                .toList();
        assertThat(fromB).extracting(r -> r.path("errorCode").asText("success")).containsExactly("success", "AccessDeniedException");
        assertThat(fromB).allSatisfy(r -> {
            assertThat(r.path("userIdentity").path("arn").asText())
                    .isEqualTo("arn:aws:sts::" + accountB + ":assumed-role/reporting-reader/report-job");
            assertThat(r.path("resources").get(0).path("accountId").asText()).isEqualTo(accountA);
        });
    }

    @Test
    void theCallersAccountSeesThemToo_andAThirdAccountNothing() throws Exception {
        assertThat(lookupAs(bAdmin, "shared/reporting/db")).extracting(r -> r.path("eventName").asText())
                .containsExactly("GetSecretValue", "GetSecretValue");
        assertThat(lookupAs(cAdmin, "shared/reporting/db")).isEmpty();
    }
}
