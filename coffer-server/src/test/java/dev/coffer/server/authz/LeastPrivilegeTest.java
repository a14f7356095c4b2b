package dev.coffer.server.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.TestIssuer;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The least-privilege path through real SDK clients: one role per workload, allowed to read
 * exactly its own secret, reached by AssumeRole and by a Kubernetes-style web identity; the
 * neighbouring secrets are refused, and so is the session once it expires.
 */
class LeastPrivilegeTest {
    static final String ISSUER = "https://oidc.cluster.test/id/PAYMENTS";
    static final String SUBJECT = "system:serviceaccount:payments:api";
    static final String AUDIENCE = "sts.amazonaws.com";

    @TempDir
    static Path dir;
    static MutableClock clock;
    static TestIssuer issuer;
    static TestServer server;
    static String account;
    static IamClient iam;
    static StsClient adminSts;
    static SecretsManagerClient adminSecrets;
    static String roleArn;

    @BeforeAll
    static void workloadRole() {
        clock = new MutableClock(Instant.now());
        issuer = new TestIssuer(ISSUER, dir);
        server = TestServer.start(c -> c.withOidcJwks(issuer.pin()), clock);
        account = server.accountId();
        AwsCredentialsProvider admin = Clients.of(server.adminCredentials());
        iam = Clients.iam(server, admin);
        adminSts = Clients.sts(server, admin);
        adminSecrets = Clients.secretsManager(server, admin);
        for (String name : new String[] {"prod/payment/stripe/api", "prod/notifications/twilio/api", "staging/payment/stripe/api"}) {
            adminSecrets.createSecret(r -> r.name(name).secretString("{\"key\":\"value-of-" + name + "\"}"));
        }
        iam.createOpenIDConnectProvider(r -> r.url(ISSUER).clientIDList(AUDIENCE));
        String provider = "arn:aws:iam::" + account + ":oidc-provider/oidc.cluster.test/id/PAYMENTS";
        roleArn = iam.createRole(r -> r.roleName("payments-api").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"},
                  {"Effect":"Allow","Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                   "Condition":{"StringEquals":{"oidc.cluster.test/id/PAYMENTS:sub":"%s",
                                                "oidc.cluster.test/id/PAYMENTS:aud":"%s"}}}]}
                """.formatted(account, provider, SUBJECT, AUDIENCE))).role().arn();
        iam.putRolePolicy(r -> r.roleName("payments-api").policyName("read-stripe").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Sid":"ReadStripe","Effect":"Allow",
                  "Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
                  "Resource":"arn:aws:secretsmanager:us-east-1:%s:secret:prod/payment/stripe/*"}]}
                """.formatted(account)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SecretsManagerClient as(Credentials session) {
        return Clients.secretsManager(server, Clients.of(session));
    }

    static AwsServiceException refusal(Runnable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call::run);
        assertThat(e).as("the call should have been refused").isNotNull();
        return e;
    }

    @Test
    void roleSession_readsItsOwnSecret_andIsDeniedTheNeighbours() {
        Credentials session = adminSts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("pod-7")).credentials();
        SecretsManagerClient workload = as(session);

        assertThat(workload.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString())
                .contains("value-of-prod/payment/stripe/api");
        AwsServiceException twilio = refusal(() -> workload.getSecretValue(r -> r.secretId("prod/notifications/twilio/api")));
        assertThat(twilio.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        // As AWS words it: the resource as the caller named it, and which kind of policy failed to allow.
        assertThat(twilio.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::" + account
                + ":assumed-role/payments-api/pod-7 is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                + "prod/notifications/twilio/api because no identity-based policy allows the secretsmanager:GetSecretValue action");
        assertThat(refusal(() -> workload.getSecretValue(r -> r.secretId("staging/payment/stripe/api")))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        // Allowed to read, not to write or list.
        assertThat(refusal(() -> workload.putSecretValue(r -> r.secretId("prod/payment/stripe/api").secretString("x")))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(refusal(() -> workload.listSecrets(r -> {})).awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::"
                + account + ":assumed-role/payments-api/pod-7 is not authorized to perform: secretsmanager:ListSecrets "
                + "because no identity-based policy allows the secretsmanager:ListSecrets action");
    }

    @Test
    void callerIdentity_ofARoleSession_isTheAssumedRole() {
        Credentials session = adminSts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("whoami")).credentials();
        var me = Clients.sts(server, Clients.of(session)).getCallerIdentity();
        assertThat(me.arn()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/payments-api/whoami");
        assertThat(me.account()).isEqualTo(account);
        assertThat(me.userId()).startsWith("AROA").endsWith(":whoami");
    }

    @Test
    void webIdentity_assumesTheRole_andReadsOnlyItsSecret() {
        StsClient anonymous = Clients.sts(server, AnonymousCredentialsProvider.create());
        AssumeRoleWithWebIdentityResponse answer = anonymous.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                .roleSessionName("payments-pod").webIdentityToken(issuer.token(SUBJECT, AUDIENCE, clock.instant())));
        assertThat(answer.subjectFromWebIdentityToken()).isEqualTo(SUBJECT);
        assertThat(answer.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/payments-api/payments-pod");
        SecretsManagerClient workload = as(answer.credentials());
        assertThat(workload.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString()).isNotEmpty();
        assertThat(refusal(() -> workload.getSecretValue(r -> r.secretId("prod/notifications/twilio/api")))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    }

    @Test
    void javaSdkStandardWebIdentityProvider_worksUnchanged() throws Exception {
        // What a pod's Java application does on AWS: the SDK's own web-identity provider, configured by the
        // role ARN and token file (here by builder; in a pod by AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE), and
        // the STS endpoint from the SDK's standard endpoint setting, the only Coffer-specific part.
        java.nio.file.Path tokenFile = dir.resolve("java-pod-token");
        java.nio.file.Files.writeString(tokenFile, issuer.token(SUBJECT, AUDIENCE, clock.instant()));
        System.setProperty("aws.endpointUrlSts", server.endpoint().toString());
        System.setProperty("aws.region", TestServer.REGION);
        try (var provider = software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider.builder()
                .roleArn(roleArn).roleSessionName("java-pod").webIdentityTokenFile(tokenFile).build()) {
            SecretsManagerClient workload = Clients.secretsManager(server, provider);
            assertThat(workload.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString()).isNotEmpty();
            assertThat(refusal(() -> workload.getSecretValue(r -> r.secretId("prod/notifications/twilio/api")))
                    .awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(Clients.sts(server, provider).getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::" + account + ":assumed-role/payments-api/java-pod");
        } finally {
            System.clearProperty("aws.endpointUrlSts");
            System.clearProperty("aws.region");
        }
    }

    @Test
    void badWebIdentityTokens_areRefusedWithStsErrors() {
        StsClient anonymous = Clients.sts(server, AnonymousCredentialsProvider.create());
        Instant now = clock.instant();
        record Case(String name, String token, String code) {}
        Case[] cases = {
            new Case("forged", issuer.forge(issuer.claims(SUBJECT, AUDIENCE, now).build()), "InvalidIdentityToken"),
            new Case("expired", issuer.sign(issuer.claims(SUBJECT, AUDIENCE, now.minus(Duration.ofHours(3)))
                    .expirationTime(java.util.Date.from(now.minus(Duration.ofHours(2)))).build()), "ExpiredTokenException"),
            new Case("wrong audience", issuer.token(SUBJECT, "someone-else", now), "InvalidIdentityToken"),
            new Case("wrong issuer", new TestIssuer("https://evil.test", dir).token(SUBJECT, AUDIENCE, now), "InvalidIdentityToken"),
            new Case("other workload", issuer.token("system:serviceaccount:notifications:api", AUDIENCE, now), "AccessDenied"),
            new Case("not a JWT", "not-a-jwt", "InvalidIdentityToken"),
        };
        for (Case c : cases) {
            AwsServiceException e = refusal(() -> anonymous.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                    .roleSessionName("xx").webIdentityToken(c.token())));
            assertThat(e.awsErrorDetails().errorCode()).as(c.name()).isEqualTo(c.code());
        }
    }

    @Test
    void roleSession_isRefusedAfterItExpires() {
        // Issue a 15-minute session at "now - 14 min", then move the server's clock to "now + 2 min":
        // the session is 1 minute past its expiry while request signatures stay within the 15-minute skew.
        clock.advance(Duration.ofMinutes(-14));
        Credentials session;
        try {
            session = adminSts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("short").durationSeconds(900)).credentials();
        } finally {
            clock.advance(Duration.ofMinutes(14));
        }
        SecretsManagerClient workload = as(session);
        assertThat(workload.getSecretValue(r -> r.secretId("prod/payment/stripe/api")).secretString()).isNotEmpty();
        clock.advance(Duration.ofMinutes(2));
        try {
            AwsServiceException expired = refusal(() -> workload.getSecretValue(r -> r.secretId("prod/payment/stripe/api")));
            assertThat(expired.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
            assertThat(expired.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is expired");
        } finally {
            clock.advance(Duration.ofMinutes(-2));
        }
    }

    @Test
    void assumeRole_isRefused_whenTheTrustPolicyDoesNotNameTheCaller() {
        String lonely = iam.createRole(r -> r.roleName("nobody-may-assume").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},
                  "Action":"sts:AssumeRole"}]}""")).role().arn();
        // The administrator's identity policy allows sts:AssumeRole on every role, but a role is entered only
        // when its trust policy names the caller or the caller's account: the role decides who may become it.
        AwsServiceException e = refusal(() -> adminSts.assumeRole(r -> r.roleArn(lonely).roleSessionName("xx")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }
}
