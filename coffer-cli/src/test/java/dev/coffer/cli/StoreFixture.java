package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.Clients;
import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * A deployment's worth of data made through the SDK, as users make it — secrets with several versions and custom
 * staging labels, a binary secret, tags, a resource policy, a deleted-but-recoverable secret, IAM users, groups, roles,
 * managed policies and an access key — and the check that another server serves all of it the same.
 */
final class StoreFixture {
    static final String DB = "app/db";
    static final String CERT = "app/cert";
    static final String DELETED = "old/token";
    private static final String READ_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue",
              "secretsmanager:DescribeSecret"],"Resource":"*"}]}""";

    /** Every plaintext written: none may appear in a backup file or a command's output. */
    final List<byte[]> plaintexts = new ArrayList<>();
    private final Map<String, Map<String, byte[]>> valuesByVersion = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> stages = new HashMap<>();
    private String dbPolicy;
    private List<Tag> dbTags;
    private String managedPolicyArn;
    private AccessKey userKey;

    static StoreFixture populate(TestServer server) {
        StoreFixture f = new StoreFixture();
        SecretsManagerClient sm = server.secretsManager();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String v1 = "fixture-db-password-v1-" + tag;
        String v2 = "fixture-db-password-v2-" + tag;
        String v3 = "fixture-db-password-canary-" + tag;
        f.record(DB, sm.createSecret(r -> r.name(DB).secretString(v1)).versionId(), v1);
        f.record(DB, sm.putSecretValue(r -> r.secretId(DB).secretString(v2).versionStages("AWSCURRENT", "blue")).versionId(), v2);
        f.record(DB, sm.putSecretValue(r -> r.secretId(DB).secretString(v3).versionStages("canary")).versionId(), v3);
        f.dbTags = List.of(Tag.builder().key("team").value("payments").build(), Tag.builder().key("env").value("prod").build());
        sm.tagResource(r -> r.secretId(DB).tags(f.dbTags));
        sm.putResourcePolicy(r -> r.secretId(DB).resourcePolicy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret",
                  "Resource":"*"}]}"""));
        f.dbPolicy = sm.getResourcePolicy(r -> r.secretId(DB)).resourcePolicy();

        byte[] binary = new byte[96];
        new SecureRandom().nextBytes(binary);
        f.record(CERT, sm.createSecret(r -> r.name(CERT).secretBinary(SdkBytes.fromByteArray(binary))).versionId(), binary);

        String token = "fixture-deleted-token-" + tag;
        f.record(DELETED, sm.createSecret(r -> r.name(DELETED).secretString(token)).versionId(), token);
        sm.deleteSecret(r -> r.secretId(DELETED).recoveryWindowInDays(7L));

        IamClient iam = Clients.iam(server, StaticCredentialsProvider.create(server.adminCredentials()));
        iam.createUser(r -> r.userName("deployer").tags(software.amazon.awssdk.services.iam.model.Tag.builder().key("team")
                .value("payments").build()));
        iam.putUserPolicy(r -> r.userName("deployer").policyName("read").policyDocument(READ_ALL));
        f.userKey = iam.createAccessKey(r -> r.userName("deployer")).accessKey();
        f.plaintexts.add(f.userKey.secretAccessKey().getBytes(StandardCharsets.UTF_8));
        f.plaintexts.add(server.adminCredentials().secretAccessKey().getBytes(StandardCharsets.UTF_8));
        iam.createGroup(r -> r.groupName("ops"));
        iam.addUserToGroup(r -> r.groupName("ops").userName("deployer"));
        f.managedPolicyArn = iam.createPolicy(r -> r.policyName("read-secrets").policyDocument(READ_ALL)).policy().arn();
        iam.createPolicyVersion(r -> r.policyArn(f.managedPolicyArn).policyDocument(READ_ALL).setAsDefault(true));
        iam.attachGroupPolicy(r -> r.groupName("ops").policyArn(f.managedPolicyArn));
        iam.createRole(r -> r.roleName("app-role").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                  "Action":"sts:AssumeRole"}]}""".formatted(server.accountId())));
        iam.attachRolePolicy(r -> r.roleName("app-role").policyArn(f.managedPolicyArn));

        for (String secret : List.of(DB, CERT, DELETED)) f.stages.put(secret, stagesOf(sm, secret));
        return f;
    }

    private void record(String secret, String versionId, String value) {
        record(secret, versionId, value.getBytes(StandardCharsets.UTF_8));
    }

    private void record(String secret, String versionId, byte[] value) {
        valuesByVersion.computeIfAbsent(secret, k -> new HashMap<>()).put(versionId, value);
        plaintexts.add(value);
    }

    static Map<String, Set<String>> stagesOf(SecretsManagerClient sm, String secret) {
        Map<String, Set<String>> byVersion = new HashMap<>();
        for (SecretVersionsListEntry v : sm.listSecretVersionIds(r -> r.secretId(secret).includeDeprecated(true)).versions()) {
            byVersion.put(v.versionId(), new HashSet<>(v.versionStages()));
        }
        return byVersion;
    }

    /** Asserts {@code server} — started on a restored or copied store with the same root key — serves all of it. */
    void assertServedBy(TestServer server) {
        SecretsManagerClient sm = server.secretsManager();
        assertThat(stagesOf(sm, DB)).isEqualTo(stages.get(DB));
        assertThat(stagesOf(sm, CERT)).isEqualTo(stages.get(CERT));
        valuesByVersion.get(DB).forEach((version, value) -> assertThat(
                sm.getSecretValue(r -> r.secretId(DB).versionId(version)).secretString().getBytes(StandardCharsets.UTF_8))
                .as("version %s of %s", version, DB).isEqualTo(value));
        for (String stage : List.of("AWSCURRENT", "AWSPREVIOUS", "blue", "canary")) {
            String expected = versionWithStage(DB, stage);
            assertThat(sm.getSecretValue(r -> r.secretId(DB).versionStage(stage)).versionId()).as(stage).isEqualTo(expected);
        }
        byte[] binary = valuesByVersion.get(CERT).values().iterator().next();
        assertThat(sm.getSecretValue(r -> r.secretId(CERT)).secretBinary().asByteArray()).isEqualTo(binary);
        assertThat(sm.describeSecret(r -> r.secretId(DB)).tags()).containsExactlyInAnyOrderElementsOf(dbTags);
        assertThat(sm.getResourcePolicy(r -> r.secretId(DB)).resourcePolicy()).isEqualTo(dbPolicy);

        assertThat(sm.describeSecret(r -> r.secretId(DELETED)).deletedDate()).as("still deleted, recoverable").isNotNull();
        sm.restoreSecret(r -> r.secretId(DELETED));
        byte[] token = valuesByVersion.get(DELETED).values().iterator().next();
        assertThat(sm.getSecretValue(r -> r.secretId(DELETED)).secretString().getBytes(StandardCharsets.UTF_8)).isEqualTo(token);

        // The user's own key: its sealed secret opens and its rows' MACs verify under the same root key.
        SecretsManagerClient asUser = Clients.secretsManager(server,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(userKey.accessKeyId(), userKey.secretAccessKey())));
        assertThat(asUser.getSecretValue(r -> r.secretId(DB)).versionId()).isEqualTo(versionWithStage(DB, "AWSCURRENT"));
        IamClient iam = Clients.iam(server, StaticCredentialsProvider.create(server.adminCredentials()));
        assertThat(iam.getGroup(r -> r.groupName("ops")).users()).extracting(u -> u.userName()).containsExactly("deployer");
        assertThat(iam.getPolicy(r -> r.policyArn(managedPolicyArn)).policy().defaultVersionId()).isEqualTo("v2");
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName("app-role")).attachedPolicies())
                .extracting(p -> p.policyArn()).containsExactly(managedPolicyArn);
        assertThat(iam.listUserTags(r -> r.userName("deployer")).tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("team=payments");
    }

    private String versionWithStage(String secret, String stage) {
        return stages.get(secret).entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /** The plaintexts found in {@code bytes} (must be none). */
    List<String> plaintextsIn(byte[] bytes) {
        List<String> found = new ArrayList<>();
        for (byte[] p : plaintexts) if (indexOf(bytes, p) >= 0) found.add(p.length + "-byte value");
        return found;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
