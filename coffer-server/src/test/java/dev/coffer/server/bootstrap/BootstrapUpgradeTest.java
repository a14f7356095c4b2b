package dev.coffer.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.User;

/**
 * A data directory from before identities existed: its bootstrap access key has no owner and no
 * MAC, there are no user rows and no row-integrity key. On start it is upgraded: the key's user
 * coffer-admin is created (with the user id it always showed) with AdministratorAccess, and the
 * same credentials keep working.
 */
class BootstrapUpgradeTest {

    @Test
    void aPreIdentitiesDataDirectory_isUpgradedOnStart_andTheBootstrapKeyKeepsWorking() throws Exception {
        Path dir = Files.createTempDirectory("coffer-upgrade-");
        try {
            AwsBasicCredentials admin;
            String account;
            TestServer first = TestServer.startOn(dir, c -> c, false);
            admin = first.adminCredentials();
            account = first.accountId();
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},"
                    + "\"Action\":\"secretsmanager:DeleteSecret\",\"Resource\":\"*\"}]}";
            try (var sm = first.secretsManager()) {
                sm.createSecret(b -> b.name("legacy").secretString("fake-not-a-secret"));
                sm.putResourcePolicy(b -> b.secretId("legacy").resourcePolicy(policy));
            }
            first.stop();
            // Put the store back into the state a V2 store has after the V3 migration ran.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("coffer.db"));
                 Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM iam_attachments");
                st.executeUpdate("DELETE FROM iam_users");
                st.executeUpdate("UPDATE access_keys SET user_id = NULL, row_mac = NULL");
                st.executeUpdate("DELETE FROM keyring_keys WHERE purpose = 'row-integrity'");
                st.executeUpdate("UPDATE secrets SET resource_policy_mac = NULL");
            }
            TestServer second = TestServer.startOn(dir, c -> c, false);
            try (IamClient iam = IamClient.builder().endpointOverride(second.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(admin))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                User me = iam.getUser(b -> {}).user();
                assertThat(me.userName()).isEqualTo("coffer-admin");
                assertThat(me.arn()).isEqualTo("arn:aws:iam::" + account + ":user/coffer-admin");
                assertThat(me.userId()).isEqualTo(BootstrapAdministrator.userIdFor(me.arn()));
                assertThat(iam.listAttachedUserPolicies(b -> b.userName("coffer-admin")).attachedPolicies())
                        .extracting(AttachedPolicy::policyArn).containsExactly("arn:aws:iam::aws:policy/AdministratorAccess");
                assertThat(iam.listAccessKeys(b -> {}).accessKeyMetadata()).singleElement()
                        .satisfies(k -> assertThat(k.accessKeyId()).isEqualTo(admin.accessKeyId()));
            } finally {
                second.stop();
            }
            // The legacy secret's resource policy was sealed on upgrade, so it is still obeyed.
            try (var store = dev.coffer.server.store.SqliteStore.open(dir.resolve("coffer.db"))) {
                var keyring = dev.coffer.server.keyring.Keyring.open(
                        dev.coffer.server.seal.FileRootKeySource.existing(dir.resolve("root.key")), store, java.time.Clock.systemUTC());
                var get = new dev.coffer.server.secrets.SecretsManagerService(store, keyring, java.time.Clock.systemUTC(),
                        new java.security.SecureRandom(), r -> true).operations().stream()
                        .filter(o -> o.name().equals("GetSecretValue")).findFirst().orElseThrow();
                var ctx = new dev.coffer.server.api.CallContext(new dev.coffer.server.iam.Principal(account,
                        "arn:aws:iam::" + account + ":user/coffer-admin", "AIDAX", "AKIAX",
                        dev.coffer.server.iam.Principal.Kind.USER), account, TestServer.REGION, "t", "127.0.0.1", "t");
                assertThat(get.targetOf(ctx, new dev.coffer.server.secrets.SecretsManagerMessages.GetSecretValueRequest(
                        "legacy", null, null)).resourcePolicy()).contains("secretsmanager:DeleteSecret");
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    @Test
    void onceUpgraded_aKeyWhoseOwnerIsStrippedInTheDatabase_isNotAdoptedAgain() throws Exception {
        Path dir = Files.createTempDirectory("coffer-upgrade-");
        try {
            TestServer first = TestServer.startOn(dir, c -> c, false);
            AwsBasicCredentials admin = first.adminCredentials();
            first.stop();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("coffer.db"));
                 Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE access_keys SET user_id = NULL, row_mac = NULL, status = 'Active'");
            }
            TestServer second = TestServer.startOn(dir, c -> c, false);
            try (IamClient iam = IamClient.builder().endpointOverride(second.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(admin))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> iam.getUser(b -> {}))
                        .isInstanceOfSatisfying(software.amazon.awssdk.awscore.exception.AwsServiceException.class,
                                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
            } finally {
                second.stop();
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}
