package dev.coffer.server.identities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.secrets.SecretsManagerMessages.GetSecretValueRequest;
import dev.coffer.server.secrets.SecretsManagerService;
import dev.coffer.server.store.Store;
import dev.coffer.server.testkit.TestServer;
import dev.coffer.server.testkit.TestStores;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Storage is untrusted: rows that decide access carry a MAC under the keyring, and a row edited
 * directly in the database (by JDBC, behind Coffer's back, on either engine) is refused, not obeyed.
 */
class IdentityIntegrityTest {
    private static final String READ_STRIPE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:*:*:secret:stripe-*\"}]}";
    private static final String LIST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:ListSecrets\",\"Resource\":\"*\"}]}";
    private static final String EVERYTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

    @Test
    void policyEditedInTheDatabase_isRefused() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("coffer-integrity-");
        String account;
        String managedArn;
        try {
            TestServer server = TestServer.startOn(dir, c -> c, false);
            account = server.accountId();
            try (IamClient iam = IamApiTest.clientFor(server)) {
                iam.createUser(b -> b.userName("alice"));
                iam.putUserPolicy(b -> b.userName("alice").policyName("ReadStripe").policyDocument(READ_STRIPE));
                managedArn = iam.createPolicy(b -> b.policyName("ListAll").policyDocument(LIST)).policy().arn();
                iam.attachUserPolicy(b -> b.userName("alice").policyArn(managedArn));
            }
            server.stop();
            Principal alice = new Principal(account, "arn:aws:iam::" + account + ":user/alice", "AIDAX", "AKIAX",
                    Principal.Kind.USER);
            String inlineSource = "arn:aws:iam::" + account + ":user/alice#inline/ReadStripe";

            List<NamedPolicy> before = identityPolicies(dir, alice);
            assertThat(before).extracting(NamedPolicy::source).containsExactlyInAnyOrder(inlineSource, managedArn);

            // Widen both documents behind Coffer's back.
            sql(dir, "UPDATE iam_inline_policies SET document = ? WHERE policy_name = 'ReadStripe'", EVERYTHING);
            sql(dir, "UPDATE iam_policy_versions SET document = ? WHERE version_id = 'v1' AND policy_id = "
                    + "(SELECT policy_id FROM iam_policies WHERE policy_name = 'ListAll')", EVERYTHING);

            List<NamedPolicy> after = identityPolicies(dir, alice);
            assertThat(after).as("edited policies are refused, so they grant nothing").isEmpty();
            assertThat(after).extracting(p -> p.document().json()).noneMatch(doc -> doc.contains("\"Action\":\"*\""));

            // Moving the administrator's AdministratorAccess attachment to alice is caught too.
            sql(dir, "UPDATE iam_attachments SET owner_id = (SELECT user_id FROM iam_users WHERE user_name = 'alice') "
                    + "WHERE policy_arn = ?", "arn:aws:iam::aws:policy/AdministratorAccess");
            assertThat(identityPolicies(dir, alice)).extracting(NamedPolicy::source)
                    .doesNotContain("arn:aws:iam::aws:policy/AdministratorAccess");
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    @Test
    void accessKeyReactivatedInTheDatabase_isRefused() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("coffer-integrity-");
        try {
            AccessKey key;
            try (TestServer server = TestServer.startOn(dir, c -> c, false); IamClient iam = IamApiTest.clientFor(server)) {
                iam.createUser(b -> b.userName("mallory"));
                key = iam.createAccessKey(b -> b.userName("mallory")).accessKey();
                iam.updateAccessKey(b -> b.userName("mallory").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
            }
            sql(dir, "UPDATE access_keys SET status = 'Active' WHERE access_key_id = ?", key.accessKeyId());
            try (TestServer server = TestServer.startOn(dir, c -> c, false);
                 IamClient mallory = IamApiTest.clientFor(server,
                         AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> mallory.getUser(b -> {}))
                        .isInstanceOfSatisfying(AwsServiceException.class, e ->
                                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    @Test
    void secretResourcePolicyEditedInTheDatabase_isRefused() throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        Path dir = java.nio.file.Files.createTempDirectory("coffer-integrity-");
        try {
            TestServer server = TestServer.startOn(dir, c -> c, false);
            String account = server.accountId();
            try (var sm = server.secretsManager()) {
                sm.createSecret(b -> b.name("stripe-key").secretString("fake-not-a-secret"));
                sm.putResourcePolicy(b -> b.secretId("stripe-key").resourcePolicy(policy));
            }
            server.stop();
            Function<Path, AccessTarget> target = d -> secretTarget(d, account, "stripe-key");
            assertThat(target.apply(dir).resourcePolicy()).isEqualTo(policy);
            sql(dir, "UPDATE secrets SET resource_policy = ? WHERE name = 'stripe-key'", policy.replace("Deny", "Allow"));
            assertThat(target.apply(dir).resourcePolicy()).as("an edited resource policy is refused, and the secret locked")
                    .contains("CofferIntegrityLockdown").doesNotContain("\"Allow\"");

            // Through the server: the lockdown denies the value to everyone, the administrator included, until the
            // policy is replaced through the API; then the secret serves again.
            TestServer again = TestServer.startOn(dir, c -> c, false);
            try (var sm = again.secretsManager()) {
                var denied = org.assertj.core.api.Assertions.catchThrowableOfType(
                        software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException.class,
                        () -> sm.getSecretValue(b -> b.secretId("stripe-key")));
                assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(denied.awsErrorDetails().errorMessage()).endsWith("with an explicit deny in a resource-based policy");
                assertThat(sm.getResourcePolicy(b -> b.secretId("stripe-key")).resourcePolicy()).contains("CofferIntegrityLockdown");
                sm.deleteResourcePolicy(b -> b.secretId("stripe-key"));
                assertThat(sm.getSecretValue(b -> b.secretId("stripe-key")).secretString()).isEqualTo("fake-not-a-secret");
            } finally {
                again.stop();
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    private static List<NamedPolicy> identityPolicies(Path dir, Principal principal) {
        try (Store store = TestStores.open(dir)) {
            Keyring keyring = Keyring.open(FileRootKeySource.existing(dir.resolve("root.key")), store, Clock.systemUTC());
            IdentityDirectory directory = new IdentityDirectory(store, new RowMacs(keyring), new AwsManagedPolicies());
            return directory.policiesFor(principal).identity();
        }
    }

    private static AccessTarget secretTarget(Path dir, String account, String secretId) {
        try (Store store = TestStores.open(dir)) {
            Keyring keyring = Keyring.open(FileRootKeySource.existing(dir.resolve("root.key")), store, Clock.systemUTC());
            Operation<?, ?> get = new SecretsManagerService(store, keyring, Clock.systemUTC(), new SecureRandom(), r -> true)
                    .operations().stream().filter(o -> o.name().equals("GetSecretValue")).findFirst().orElseThrow();
            CallContext ctx = new CallContext(new Principal(account, "arn:aws:iam::" + account + ":user/coffer-admin", "AIDAX",
                    "AKIAX", Principal.Kind.USER), account, TestServer.REGION, "test", "127.0.0.1", "test");
            return get.targetOf(ctx, new GetSecretValueRequest(secretId, null, null));
        }
    }

    private static void sql(Path dir, String statement, String parameter) throws Exception {
        try (Connection c = TestStores.connect(dir);
             PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, parameter);
            assertThat(ps.executeUpdate()).as(statement).isPositive();
        }
    }
}
