package dev.coffer.server.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Each kind of rule decides a real request both ways, through the SDK: explicit denies in
 * identity and resource policies beat allows, and conditions on source IP, time, resource tags
 * and version stage allow the request that meets them and refuse the one that does not.
 */
class PolicyDecisionsTest {
    static TestServer server;
    static String account;
    static IamClient iam;
    static SecretsManagerClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.accountId();
        iam = Clients.iam(server, Clients.of(server.adminCredentials()));
        admin = Clients.secretsManager(server, Clients.of(server.adminCredentials()));
        admin.createSecret(r -> r.name("team/payments/db").secretString("payments-db-password")
                .tags(Tag.builder().key("team").value("payments").build()));
        admin.createSecret(r -> r.name("team/notifications/db").secretString("notifications-db-password")
                .tags(Tag.builder().key("team").value("notifications").build()));
        admin.putSecretValue(r -> r.secretId("team/payments/db").secretString("payments-db-password-2"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A user with one inline policy, and a Secrets Manager client signed with its own access key. */
    static SecretsManagerClient userWith(String name, String policy) {
        return Clients.newUser(server, iam, name, policy);
    }

    static String allowGet(String condition) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue",
                  "Resource":"*"%s}]}""".formatted(condition == null ? "" : ",\"Condition\":" + condition);
    }

    static String errorCode(Runnable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call::run);
        return e == null ? "allowed" : e.awsErrorDetails().errorCode();
    }

    static String denialMessage(Runnable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call::run);
        assertThat(e).isNotNull();
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void explicitDenyInAnIdentityPolicy_beatsAnAllow() {
        SecretsManagerClient user = userWith("deny-identity", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"},
                  {"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:team/notifications/*"}]}""");
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("allowed");
        assertThat(denialMessage(() -> user.getSecretValue(r -> r.secretId("team/notifications/db"))))
                .contains("user/deny-identity is not authorized to perform: secretsmanager:GetSecretValue")
                .endsWith("with an explicit deny in an identity-based policy");
    }

    @Test
    void explicitDenyInAResourcePolicy_beatsAnIdentityAllow() {
        SecretsManagerClient user = userWith("deny-resource", allowGet(null));
        admin.createSecret(r -> r.name("guarded").secretString("guarded-value"));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("guarded")))).isEqualTo("allowed");
        admin.putResourcePolicy(r -> r.secretId("guarded").resourcePolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::%s:user/deny-resource"},
                  "Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""".formatted(account)));
        assertThat(denialMessage(() -> user.getSecretValue(r -> r.secretId("guarded"))))
                .endsWith("with an explicit deny in a resource-based policy");
        admin.deleteResourcePolicy(r -> r.secretId("guarded"));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("guarded")))).isEqualTo("allowed");
    }

    @Test
    void aResourcePolicyAlone_grantsInTheSameAccount() {
        iam.createUser(r -> r.userName("no-identity-policy"));
        AccessKey key = iam.createAccessKey(r -> r.userName("no-identity-policy")).accessKey();
        SecretsManagerClient user = Clients.secretsManager(server,
                Clients.of(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())));
        admin.createSecret(r -> r.name("shared-by-policy").secretString("shared-value"));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("shared-by-policy")))).isEqualTo("AccessDeniedException");
        admin.putResourcePolicy(r -> r.secretId("shared-by-policy").resourcePolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:user/no-identity-policy"},
                  "Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""".formatted(account)));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("shared-by-policy")))).isEqualTo("allowed");
    }

    @Test
    void sourceIpCondition_decidesBothWays() {
        SecretsManagerClient loopback = userWith("from-loopback", allowGet("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}"));
        SecretsManagerClient office = userWith("from-office", allowGet("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}"));
        assertThat(errorCode(() -> loopback.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("allowed");
        assertThat(errorCode(() -> office.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("AccessDeniedException");
    }

    @Test
    void timeCondition_decidesBothWays() {
        SecretsManagerClient untilLater = userWith("until-2099", allowGet("{\"DateLessThan\":{\"aws:CurrentTime\":\"2099-01-01T00:00:00Z\"}}"));
        SecretsManagerClient fromLater = userWith("from-2099", allowGet("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2099-01-01T00:00:00Z\"}}"));
        assertThat(errorCode(() -> untilLater.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("allowed");
        assertThat(errorCode(() -> fromLater.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("AccessDeniedException");
    }

    @Test
    void resourceTagCondition_decidesBothWays() {
        SecretsManagerClient payments = userWith("payments-team",
                allowGet("{\"StringEquals\":{\"secretsmanager:ResourceTag/team\":\"payments\"}}"));
        assertThat(errorCode(() -> payments.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("allowed");
        assertThat(errorCode(() -> payments.getSecretValue(r -> r.secretId("team/notifications/db")))).isEqualTo("AccessDeniedException");
    }

    @Test
    void principalTagVariable_matchesTheCallersOwnTag() {
        iam.createUser(r -> r.userName("tagged-dev").tags(software.amazon.awssdk.services.iam.model.Tag.builder()
                .key("team").value("notifications").build()));
        iam.putUserPolicy(r -> r.userName("tagged-dev").policyName("own-team").policyDocument(
                allowGet("{\"StringEquals\":{\"secretsmanager:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}")));
        AccessKey key = iam.createAccessKey(r -> r.userName("tagged-dev")).accessKey();
        SecretsManagerClient dev = Clients.secretsManager(server, Clients.of(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
        assertThat(errorCode(() -> dev.getSecretValue(r -> r.secretId("team/notifications/db")))).isEqualTo("allowed");
        assertThat(errorCode(() -> dev.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("AccessDeniedException");
    }

    @Test
    void versionStageCondition_decidesBothWays() {
        SecretsManagerClient currentOnly = userWith("current-only",
                allowGet("{\"StringEquals\":{\"secretsmanager:VersionStage\":\"AWSCURRENT\"}}"));
        assertThat(errorCode(() -> currentOnly.getSecretValue(r -> r.secretId("team/payments/db").versionStage("AWSCURRENT"))))
                .isEqualTo("allowed");
        assertThat(errorCode(() -> currentOnly.getSecretValue(r -> r.secretId("team/payments/db").versionStage("AWSPREVIOUS"))))
                .isEqualTo("AccessDeniedException");
    }

    @Test
    void aDeactivatedAccessKey_stopsWorkingAtOnce() {
        iam.createUser(r -> r.userName("rotating"));
        iam.putUserPolicy(r -> r.userName("rotating").policyName("p").policyDocument(allowGet(null)));
        AccessKey key = iam.createAccessKey(r -> r.userName("rotating")).accessKey();
        SecretsManagerClient user = Clients.secretsManager(server, Clients.of(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("allowed");
        iam.updateAccessKey(r -> r.userName("rotating").accessKeyId(key.accessKeyId()).status("Inactive"));
        assertThat(errorCode(() -> user.getSecretValue(r -> r.secretId("team/payments/db")))).isEqualTo("UnrecognizedClientException");
    }

    @Test
    void batchGet_returnsOnlyTheSecretsTheCallerMayRead_andNamesTheRestInErrors() {
        SecretsManagerClient user = userWith("batch-reader", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["secretsmanager:BatchGetSecretValue","secretsmanager:ListSecrets"],"Resource":"*"},
                  {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:team/payments/*"}]}""");
        var byIds = user.batchGetSecretValue(r -> r.secretIdList("team/payments/db", "team/notifications/db"));
        assertThat(byIds.secretValues()).extracting(v -> v.name()).containsExactly("team/payments/db");
        assertThat(byIds.errors()).singleElement().satisfies(e -> {
            assertThat(e.secretId()).isEqualTo("team/notifications/db");
            assertThat(e.errorCode()).isEqualTo("AccessDeniedException");
        });
        var byFilter = user.batchGetSecretValue(r -> r.filters(software.amazon.awssdk.services.secretsmanager.model.Filter.builder()
                .key("name").values("team/").build()));
        assertThat(byFilter.secretValues()).extracting(v -> v.name()).containsExactly("team/payments/db");
        assertThat(byFilter.errors()).extracting(e -> e.errorCode()).containsExactly("AccessDeniedException");
    }
}
