package dev.coffer.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.TestServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PublicPolicyException;
import software.amazon.awssdk.services.secretsmanager.model.ReplicaRegionType;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;

/** Rotation configuration, resource policies, replicas and random passwords, through the AWS SDK. */
class SecretConfigurationTest {
    private static TestServer server;
    private static SecretsManagerClient sm;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        sm = server.secretsManager();
    }

    @AfterAll
    static void stop() {
        sm.close();
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void rotateSecret_storesTheScheduleAndCancelTurnsItOff() {
        String name = unique("prod/db/orders");
        sm.createSecret(r -> r.name(name).secretString("{\"username\":\"app\",\"password\":\"x\"}"));
        var noRotator = catchThrowableOfType(InvalidRequestException.class, () -> sm.rotateSecret(r -> r.secretId(name)));
        assertThat(noRotator.awsErrorDetails().errorMessage()).isEqualTo("No Lambda rotation function ARN is associated with this secret.");
        assertThat(sm.describeSecret(r -> r.secretId(name)).rotationEnabled()).isNull();

        String rotator = "arn:aws:lambda:us-east-1:" + server.accountId() + ":function:postgres-rotator";
        sm.rotateSecret(r -> r.secretId(name).rotationLambdaARN(rotator).rotationRules(rr -> rr.automaticallyAfterDays(30L))
                .rotateImmediately(false));
        var d = sm.describeSecret(r -> r.secretId(name));
        assertThat(d.rotationEnabled()).isTrue();
        assertThat(d.rotationLambdaARN()).isEqualTo(rotator);
        assertThat(d.rotationRules().automaticallyAfterDays()).isEqualTo(30L);
        assertThat(d.nextRotationDate()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(29)));

        sm.cancelRotateSecret(r -> r.secretId(name));
        d = sm.describeSecret(r -> r.secretId(name));
        assertThat(d.rotationEnabled()).isFalse();
        assertThat(d.nextRotationDate()).isNull();
    }

    @Test
    void resourcePolicy_isStoredReturnedAndDeleted_andPublicPoliciesAreBlocked() throws Exception {
        String name = unique("prod/payment/stripe/api");
        sm.createSecret(r -> r.name(name).secretString("k"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + server.accountId() + ":role/payments-api\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        sm.putResourcePolicy(r -> r.secretId(name).resourcePolicy(policy).blockPublicPolicy(true));
        var got = sm.getResourcePolicy(r -> r.secretId(name));
        assertThat(new ObjectMapper().readTree(got.resourcePolicy())).isEqualTo(new ObjectMapper().readTree(policy));

        String everyone = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        catchThrowableOfType(PublicPolicyException.class,
                () -> sm.putResourcePolicy(r -> r.secretId(name).resourcePolicy(everyone).blockPublicPolicy(true)));
        // as in AWS, a public policy is refused only when BlockPublicPolicy asks for it
        sm.putResourcePolicy(r -> r.secretId(name).resourcePolicy(everyone));
        assertThat(sm.getResourcePolicy(r -> r.secretId(name)).resourcePolicy()).contains("\"Principal\":\"*\"");
        var validation = sm.validateResourcePolicy(r -> r.secretId(name).resourcePolicy(everyone));
        assertThat(validation.policyValidationPassed()).isFalse();
        assertThat(validation.validationErrors()).isNotEmpty();
        assertThat(sm.validateResourcePolicy(r -> r.resourcePolicy(policy)).policyValidationPassed()).isTrue();

        sm.deleteResourcePolicy(r -> r.secretId(name));
        assertThat(sm.getResourcePolicy(r -> r.secretId(name)).resourcePolicy()).isNull();
    }

    @Test
    void resourcePolicyGrammar_isIamsAndABrokenOneChangesNothing() {
        String name = unique("grammar");
        sm.createSecret(r -> r.name(name).secretString("k"));
        String[] malformed = {
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"GetSecretValue\",\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"aws:username\":\"x\"}}}]}",
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\",\"Oops\":1}]}",
        };
        for (String policy : malformed) {
            var validation = sm.validateResourcePolicy(r -> r.resourcePolicy(policy));
            assertThat(validation.policyValidationPassed()).as(policy).isFalse();
            assertThat(validation.validationErrors()).as(policy).singleElement()
                    .satisfies(e -> assertThat(e.checkName()).isEqualTo("POLICY_SYNTAX"));
            var refused = catchThrowableOfType(
                    software.amazon.awssdk.services.secretsmanager.model.MalformedPolicyDocumentException.class,
                    () -> sm.putResourcePolicy(r -> r.secretId(name).resourcePolicy(policy)));
            assertThat(refused).as(policy).isNotNull();
        }
        assertThat(sm.getResourcePolicy(r -> r.secretId(name)).resourcePolicy()).isNull();
    }

    @Test
    void replica_readsThePrimaryValueAndFollowsItsChanges() {
        String name = unique("prod/shared/datadog");
        String arn = sm.createSecret(r -> r.name(name).secretString("dd-1")
                .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-1").build())).arn();
        var primary = sm.describeSecret(r -> r.secretId(name));
        assertThat(primary.replicationStatus()).singleElement().satisfies(s -> {
            assertThat(s.region()).isEqualTo("eu-west-1");
            assertThat(s.status()).isEqualTo(StatusType.IN_SYNC);
        });
        try (SecretsManagerClient west = server.secretsManager("eu-west-1")) {
            var replica = west.getSecretValue(r -> r.secretId(name));
            assertThat(replica.secretString()).isEqualTo("dd-1");
            assertThat(replica.arn()).isEqualTo(arn.replace(":us-east-1:", ":eu-west-1:"));
            assertThat(west.describeSecret(r -> r.secretId(name)).primaryRegion()).isEqualTo("us-east-1");

            sm.putSecretValue(r -> r.secretId(name).secretString("dd-2"));
            assertThat(west.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("dd-2");
            catchThrowableOfType(InvalidRequestException.class, () -> west.putSecretValue(r -> r.secretId(name).secretString("no")));

            west.stopReplicationToReplica(r -> r.secretId(name));
            sm.putSecretValue(r -> r.secretId(name).secretString("dd-3"));
            assertThat(west.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("dd-2");
            assertThat(west.describeSecret(r -> r.secretId(name)).primaryRegion()).isNull();
        }
        assertThat(sm.describeSecret(r -> r.secretId(name)).hasReplicationStatus()).isFalse();
    }

    @Test
    void replicaListedInItsRegion_showsThePrimarysDescriptionAndTags() {
        String name = unique("prod/shared/pagerduty");
        sm.createSecret(r -> r.name(name).secretString("pd").description("PagerDuty API key")
                .tags(software.amazon.awssdk.services.secretsmanager.model.Tag.builder().key("team").value("sre").build())
                .addReplicaRegions(ReplicaRegionType.builder().region("ap-south-1").build()));
        sm.updateSecret(r -> r.secretId(name).description("PagerDuty events key"));
        try (SecretsManagerClient mumbai = server.secretsManager("ap-south-1")) {
            var entry = mumbai.listSecrets(r -> r.filters(software.amazon.awssdk.services.secretsmanager.model.Filter.builder()
                    .key("name").values(name).build())).secretList();
            assertThat(entry).singleElement().satisfies(e -> {
                assertThat(e.description()).isEqualTo("PagerDuty events key");
                assertThat(e.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=sre");
                assertThat(e.primaryRegion()).isEqualTo("us-east-1");
            });
        }
    }

    @Test
    void replicateToARegionWhereTheNameExists_failsThatRegionUnlessForced() {
        String name = unique("prod/shared/sentry");
        try (SecretsManagerClient west = server.secretsManager("eu-west-2")) {
            west.createSecret(r -> r.name(name).secretString("local"));
            sm.createSecret(r -> r.name(name).secretString("primary"));
            var status = sm.replicateSecretToRegions(r -> r.secretId(name)
                    .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-2").build())).replicationStatus();
            assertThat(status).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(StatusType.FAILED));
            assertThat(west.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("local");

            sm.removeRegionsFromReplication(r -> r.secretId(name).removeReplicaRegions("eu-west-2"));
            sm.replicateSecretToRegions(r -> r.secretId(name).forceOverwriteReplicaSecret(true)
                    .addReplicaRegions(ReplicaRegionType.builder().region("eu-west-2").build()));
            assertThat(west.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("primary");
        }
    }

    @Test
    void getRandomPassword_honoursItsOptions() {
        String pw = sm.getRandomPassword(r -> r.passwordLength(48L).excludePunctuation(true).excludeCharacters("0O1lI"))
                .randomPassword();
        assertThat(pw).hasSize(48).matches("[A-Za-z0-9]+").doesNotContainPattern("[0O1lI]");
        assertThat(sm.getRandomPassword(r -> r.passwordLength(12L).excludeNumbers(true).excludeLowercase(true)
                .excludeUppercase(true)).randomPassword()).hasSize(12).matches("[^A-Za-z0-9 ]+");
        catchThrowableOfType(InvalidParameterException.class, () -> sm.getRandomPassword(r -> r.excludeNumbers(true)
                .excludePunctuation(true).excludeUppercase(true).excludeLowercase(true)));
    }
}
