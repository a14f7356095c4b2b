package dev.coffer.server.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Several accounts in one Coffer: the administrator creates a member account through
 * Organizations, enters it through OrganizationAccountAccessRole, and a role there reads a
 * secret of the first account only while the secret's resource policy AND the role's identity
 * policy both allow it, as in AWS.
 */
class CrossAccountTest {
    static TestServer server;
    static String accountA;
    static String accountB;
    static SecretsManagerClient adminA;
    static IamClient iamB;
    static StsClient stsB;
    static StsClient adminSts;
    static String secretArn;
    static String readerArn;

    @BeforeAll
    static void twoAccounts() {
        server = TestServer.start();
        accountA = server.accountId();
        var admin = Clients.of(server.adminCredentials());
        adminA = Clients.secretsManager(server, admin);
        secretArn = adminA.createSecret(r -> r.name("shared/reporting/db").secretString("reporting-password")).arn();

        OrganizationsClient org = Clients.organizations(server, admin);
        CreateAccountStatus created = org.createAccount(r -> r.accountName("team-b").email("team-b@example.com"))
                .createAccountStatus();
        assertThat(created.stateAsString()).isEqualTo("SUCCEEDED");
        accountB = created.accountId();
        assertThat(org.listAccounts().accounts()).extracting(a -> a.id()).contains(accountA, accountB);

        adminSts = Clients.sts(server, admin);
        Credentials bAdmin = adminSts.assumeRole(r -> r.roleSessionName("setup")
                .roleArn("arn:aws:iam::" + accountB + ":role/OrganizationAccountAccessRole")).credentials();
        iamB = Clients.iam(server, Clients.of(bAdmin));
        stsB = Clients.sts(server, Clients.of(bAdmin));
        readerArn = iamB.createRole(r -> r.roleName("reporting-reader").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                  "Action":"sts:AssumeRole"}]}""".formatted(accountB))).role().arn();
        iamB.putRolePolicy(r -> r.roleName("reporting-reader").policyName("read-a").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"%s"}]}""".formatted(secretArn)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SecretsManagerClient reader() {
        Credentials session = stsB.assumeRole(r -> r.roleArn(readerArn).roleSessionName("report-job")).credentials();
        return Clients.secretsManager(server, Clients.of(session));
    }

    static String outcome(SecretsManagerClient client) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
                () -> client.getSecretValue(r -> r.secretId(secretArn)));
        return e == null ? "allowed" : e.awsErrorDetails().errorCode();
    }

    @Test
    void crossAccountRead_needsBothTheResourcePolicyAndTheIdentityPolicy() {
        // Identity policy only: refused, the secret's account has not agreed.
        assertThat(outcome(reader())).isEqualTo("AccessDeniedException");

        adminA.putResourcePolicy(r -> r.secretId(secretArn).resourcePolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},
                  "Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""".formatted(readerArn)));
        assertThat(outcome(reader())).isEqualTo("allowed");
        assertThat(reader().getSecretValue(r -> r.secretId(secretArn)).secretString()).isEqualTo("reporting-password");

        // Resource policy only: refused once the role's own account withdraws its permission.
        iamB.deleteRolePolicy(r -> r.roleName("reporting-reader").policyName("read-a"));
        assertThat(outcome(reader())).isEqualTo("AccessDeniedException");

        iamB.putRolePolicy(r -> r.roleName("reporting-reader").policyName("read-a").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"%s"}]}""".formatted(secretArn)));
        adminA.deleteResourcePolicy(r -> r.secretId(secretArn));
        assertThat(outcome(reader())).isEqualTo("AccessDeniedException");
    }

    @Test
    void eachAccountIsItsOwnNamespace() {
        SecretsManagerClient inB = Clients.secretsManager(server, Clients.of(adminSts.assumeRole(r -> r.roleSessionName("b-admin")
                .roleArn("arn:aws:iam::" + accountB + ":role/OrganizationAccountAccessRole")).credentials()));
        // Same name, other account: a different secret, and B's administrator does not see A's by name.
        String inBArn = inB.createSecret(r -> r.name("shared/reporting/db").secretString("b-value")).arn();
        assertThat(inBArn).contains(":" + accountB + ":").isNotEqualTo(secretArn);
        assertThat(inB.listSecrets().secretList()).extracting(s -> s.arn()).containsExactly(inBArn);
    }

    @Test
    void memberAccounts_cannotManageTheOrganization() {
        OrganizationsClient fromB = Clients.organizations(server, Clients.of(adminSts.assumeRole(r -> r.roleSessionName("b-admin")
                .roleArn("arn:aws:iam::" + accountB + ":role/OrganizationAccountAccessRole")).credentials()));
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
                () -> fromB.createAccount(r -> r.accountName("sneaky").email("sneaky@example.com")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    }
}
