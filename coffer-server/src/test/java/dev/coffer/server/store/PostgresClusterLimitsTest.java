package dev.coffer.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.store.PostgresCluster.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;

/**
 * IAM's and Secrets Manager's limits and uniqueness rules hold between nodes racing on one database:
 * sixteen calls at once, spread over three nodes, that only some may win. The losers get AWS's
 * error for the rule, never a server error, and what is stored afterwards obeys the rule.
 */
class PostgresClusterLimitsTest {
    private static final int CALLERS = 16;
    private static final String DOC = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}]}""";

    private static PostgresCluster cluster;
    private static IamClient[] iam;

    @BeforeAll
    static void startCluster() {
        cluster = new PostgresCluster();
        iam = new IamClient[PostgresCluster.NODES];
        for (int i = 0; i < PostgresCluster.NODES; i++) iam[i] = cluster.iam(i);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    /** Sixteen calls at once, caller i on node i mod 3; the outcomes in caller order. */
    private static <T> List<Outcome<T>> race(IntFunction<T> call) throws InterruptedException {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int caller = i;
            tasks.add(() -> call.apply(caller));
        }
        return PostgresCluster.together(tasks);
    }

    /** The winners; every loser must have failed with {@code loserCode}. */
    private static <T> List<T> winners(List<Outcome<T>> outcomes, String loserCode) {
        List<T> won = new ArrayList<>();
        for (Outcome<T> o : outcomes) {
            if (o.succeeded()) {
                won.add(o.value());
            } else {
                assertThat(o.failure()).isInstanceOf(AwsServiceException.class);
                assertThat(((AwsServiceException) o.failure()).awsErrorDetails().errorCode())
                        .as("a losing call's error (%s)", o.failure().getMessage()).isEqualTo(loserCode);
            }
        }
        return won;
    }

    @Test
    void sixteenCreateAccessKeysForOneUser_exactlyTwoSucceed() throws Exception {
        iam[0].createUser(r -> r.userName("keyholder"));
        var created = winners(race(i -> iam[i % PostgresCluster.NODES]
                .createAccessKey(r -> r.userName("keyholder")).accessKey().accessKeyId()), "LimitExceeded");
        assertThat(created).hasSize(2);
        for (IamClient node : iam) {
            assertThat(node.listAccessKeys(r -> r.userName("keyholder")).accessKeyMetadata())
                    .extracting(AccessKeyMetadata::accessKeyId).containsExactlyInAnyOrderElementsOf(created);
        }
    }

    @Test
    void sixteenCreatePolicyVersions_neverMoreThanFiveVersions() throws Exception {
        String arn = iam[0].createPolicy(r -> r.policyName("Raced").policyDocument(DOC)).policy().arn();
        var created = winners(race(i -> iam[i % PostgresCluster.NODES].createPolicyVersion(r -> r.policyArn(arn)
                .policyDocument(DOC.replace("ListSecrets", "ListSecrets" + (i % 2 == 0 ? "" : "*")))
                .setAsDefault(i % 3 == 0)).policyVersion().versionId()), "LimitExceeded");
        assertThat(created).as("v1 and four more make the five a policy may have").hasSize(4).doesNotHaveDuplicates();
        for (IamClient node : iam) {
            List<PolicyVersion> versions = node.listPolicyVersions(r -> r.policyArn(arn)).versions();
            assertThat(versions).extracting(PolicyVersion::versionId).hasSize(5).contains("v1")
                    .containsAll(created).doesNotHaveDuplicates();
            assertThat(versions).filteredOn(PolicyVersion::isDefaultVersion).hasSize(1);
            String defaultVersion = node.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId();
            assertThat(versions).filteredOn(PolicyVersion::isDefaultVersion).extracting(PolicyVersion::versionId)
                    .containsExactly(defaultVersion);
        }
    }

    @Test
    void sixteenCreateUsersOfOneNameInDifferentCase_exactlyOneSucceeds() throws Exception {
        var created = winners(race(i -> {
            StringBuilder name = new StringBuilder("Casey-Jones");
            for (int bit = 0; bit < 4; bit++) { // sixteen spellings of one case-insensitive name
                int at = bit * 2;
                String ch = name.substring(at, at + 1);
                name.replace(at, at + 1, (i >> bit & 1) == 1 ? ch.toUpperCase(Locale.ROOT) : ch.toLowerCase(Locale.ROOT));
            }
            return iam[i % PostgresCluster.NODES].createUser(r -> r.userName(name.toString())).user().userName();
        }), "EntityAlreadyExists");
        assertThat(created).hasSize(1);
        for (IamClient node : iam) {
            assertThat(node.listUsers().users()).filteredOn(u -> u.userName().equalsIgnoreCase("casey-jones"))
                    .extracting(u -> u.userName()).containsExactlyElementsOf(created);
        }
    }

    @Test
    void sixteenCreateSecretsOfOneName_exactlyOneSucceeds() throws Exception {
        SecretsManagerClient[] sm = new SecretsManagerClient[PostgresCluster.NODES];
        for (int i = 0; i < PostgresCluster.NODES; i++) sm[i] = cluster.secretsManager(i);
        var created = winners(race(i -> sm[i % PostgresCluster.NODES].createSecret(r -> r.name("prod/contended")
                .secretString("fake-from-caller-" + i)).versionId()), "ResourceExistsException");
        assertThat(created).hasSize(1);
        for (SecretsManagerClient node : sm) {
            assertThat(node.listSecrets(r -> r.filters(Filter.builder().key("name").values("prod/contended").build())).secretList())
                    .hasSize(1);
            assertThat(node.getSecretValue(r -> r.secretId("prod/contended")).versionId()).isEqualTo(created.getFirst());
        }
    }
}
