package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Three nodes on one database behave as one: a write acknowledged by any node is what every other
 * node serves on its very next read — no waiting, no polling — even when that node had the old
 * answer in its caches (each read below first warms the reading node's caches with the old state).
 */
class PostgresClusterVisibilityTest {
    private static final String READ_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue",
              "secretsmanager:DescribeSecret"],"Resource":"*"}]}""";

    private static PostgresCluster cluster;
    private static SecretsManagerClient[] admin;
    private static IamClient[] iam;

    @BeforeAll
    static void startCluster() {
        cluster = new PostgresCluster();
        admin = new SecretsManagerClient[PostgresCluster.NODES];
        iam = new IamClient[PostgresCluster.NODES];
        for (int i = 0; i < PostgresCluster.NODES; i++) {
            admin[i] = cluster.secretsManager(i);
            iam[i] = cluster.iam(i);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    private static String value(int node, String secretId) {
        return admin[node].getSecretValue(r -> r.secretId(secretId)).secretString();
    }

    private static Map<String, Set<String>> stages(int node, String secretId) {
        Map<String, Set<String>> stages = new TreeMap<>();
        admin[node].describeSecret(r -> r.secretId(secretId)).versionIdsToStages()
                .forEach((version, labels) -> stages.put(version, Set.copyOf(labels)));
        return stages;
    }

    private static String errorCode(Runnable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call::run);
        return e == null ? "(no error)" : e.awsErrorDetails().errorCode();
    }

    @Test
    void aNewValue_isReadThroughEveryOtherNode_atOnce() {
        admin[0].createSecret(r -> r.name("app/db").secretString("fake-v1"));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(value(node, "app/db")).as("node %d, cached now", node).isEqualTo("fake-v1");
        }
        for (int writer = 0; writer < PostgresCluster.NODES; writer++) {
            String next = "fake-v" + (writer + 2);
            admin[writer].putSecretValue(r -> r.secretId("app/db").secretString(next));
            for (int reader = 0; reader < PostgresCluster.NODES; reader++) {
                assertThat(value(reader, "app/db")).as("node %d reads node %d's write", reader, writer).isEqualTo(next);
            }
        }
    }

    @Test
    void movedLabels_areReadThroughEveryOtherNode_atOnce() {
        String v1 = admin[1].createSecret(r -> r.name("app/labels").secretString("fake-blue")).versionId();
        String v2 = admin[1].putSecretValue(r -> r.secretId("app/labels").secretString("fake-green")
                .versionStages("staged")).versionId();
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(value(node, "app/labels")).isEqualTo("fake-blue");
            assertThat(stages(node, "app/labels")).isEqualTo(Map.of(v1, Set.of("AWSCURRENT"), v2, Set.of("staged")));
        }

        admin[2].updateSecretVersionStage(r -> r.secretId("app/labels").versionStage("AWSCURRENT")
                .moveToVersionId(v2).removeFromVersionId(v1));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(value(node, "app/labels")).as("node %d serves the moved AWSCURRENT", node).isEqualTo("fake-green");
            GetSecretValueResponse previous = admin[node].getSecretValue(r -> r.secretId("app/labels")
                    .versionStage("AWSPREVIOUS"));
            assertThat(previous.versionId()).as("node %d: AWSPREVIOUS", node).isEqualTo(v1);
            assertThat(stages(node, "app/labels")).as("node %d: the labels", node)
                    .isEqualTo(Map.of(v1, Set.of("AWSPREVIOUS"), v2, Set.of("staged", "AWSCURRENT")));
        }
    }

    @Test
    void deletionAndRestore_areSeenByEveryOtherNode_atOnce() {
        admin[0].createSecret(r -> r.name("app/deleted").secretString("fake-doomed"));
        for (int node = 0; node < PostgresCluster.NODES; node++) assertThat(value(node, "app/deleted")).isEqualTo("fake-doomed");

        admin[1].deleteSecret(r -> r.secretId("app/deleted").recoveryWindowInDays(7L));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            int n = node;
            assertThat(errorCode(() -> value(n, "app/deleted"))).as("node %d after the deletion", node)
                    .isEqualTo("InvalidRequestException");
        }
        admin[2].restoreSecret(r -> r.secretId("app/deleted"));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(value(node, "app/deleted")).as("node %d after the restore", node).isEqualTo("fake-doomed");
        }
        admin[0].deleteSecret(r -> r.secretId("app/deleted").forceDeleteWithoutRecovery(true));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            int n = node;
            assertThat(errorCode(() -> value(n, "app/deleted"))).as("node %d after the forced deletion", node)
                    .isEqualTo("ResourceNotFoundException");
        }
    }

    @Test
    void aResourcePolicy_bindsOnEveryOtherNode_atOnce() {
        String arn = admin[0].createSecret(r -> r.name("app/guarded").secretString("fake-guarded")).arn();
        AwsCredentials reader = newUserWithKey("guarded-reader", READ_ALL);
        SecretsManagerClient[] asReader = clientsFor(reader);
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(asReader[node].getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("fake-guarded");
        }
        String denyReader = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"%s"},
                  "Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"""
                .formatted(iam[0].getUser(r -> r.userName("guarded-reader")).user().arn());

        admin[1].putResourcePolicy(r -> r.secretId(arn).resourcePolicy(denyReader));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            SecretsManagerClient sm = asReader[node];
            assertThat(errorCode(() -> sm.getSecretValue(r -> r.secretId(arn)))).as("node %d under the deny", node)
                    .isEqualTo("AccessDeniedException");
        }
        admin[2].deleteResourcePolicy(r -> r.secretId(arn));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(asReader[node].getSecretValue(r -> r.secretId(arn)).secretString()).as("node %d without it", node)
                    .isEqualTo("fake-guarded");
        }
    }

    @Test
    void aNewUsersKey_worksOnEveryNode_andADetachedPolicyStopsGrantingEverywhere_atOnce() {
        iam[0].createUser(r -> r.userName("roaming"));
        AccessKey key = iam[0].createAccessKey(r -> r.userName("roaming")).accessKey();
        SecretsManagerClient[] asUser = clientsFor(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        admin[0].createSecret(r -> r.name("app/roaming").secretString("fake-roaming"));
        // Before any grant the key is known everywhere (the caller is recognised) but allowed nothing.
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            SecretsManagerClient sm = asUser[node];
            assertThat(errorCode(() -> sm.getSecretValue(r -> r.secretId("app/roaming")))).as("node %d, no policy", node)
                    .isEqualTo("AccessDeniedException");
        }

        String policyArn = iam[1].createPolicy(r -> r.policyName("ReadAll").policyDocument(READ_ALL)).policy().arn();
        iam[2].attachUserPolicy(r -> r.userName("roaming").policyArn(policyArn));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            assertThat(asUser[node].getSecretValue(r -> r.secretId("app/roaming")).secretString())
                    .as("node %d once attached", node).isEqualTo("fake-roaming");
        }

        iam[0].detachUserPolicy(r -> r.userName("roaming").policyArn(policyArn));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            SecretsManagerClient sm = asUser[node];
            assertThat(errorCode(() -> sm.getSecretValue(r -> r.secretId("app/roaming")))).as("node %d once detached", node)
                    .isEqualTo("AccessDeniedException");
        }

        iam[2].attachUserPolicy(r -> r.userName("roaming").policyArn(policyArn));
        iam[1].updateAccessKey(r -> r.userName("roaming").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
        for (int node = 0; node < PostgresCluster.NODES; node++) {
            SecretsManagerClient sm = asUser[node];
            assertThat(errorCode(() -> sm.getSecretValue(r -> r.secretId("app/roaming")))).as("node %d, key deactivated", node)
                    .isEqualTo("UnrecognizedClientException");
        }
    }

    /** A user with one inline policy and a new access key, made through node 0. */
    private static AwsCredentials newUserWithKey(String name, String policy) {
        iam[0].createUser(r -> r.userName(name));
        iam[0].putUserPolicy(r -> r.userName(name).policyName("p").policyDocument(policy));
        AccessKey key = iam[0].createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private static SecretsManagerClient[] clientsFor(AwsCredentials credentials) {
        SecretsManagerClient[] clients = new SecretsManagerClient[PostgresCluster.NODES];
        for (int i = 0; i < PostgresCluster.NODES; i++) clients[i] = cluster.secretsManager(i, credentials);
        return clients;
    }
}
