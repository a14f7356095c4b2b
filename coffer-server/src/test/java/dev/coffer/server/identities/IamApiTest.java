package dev.coffer.server.identities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.server.testkit.TestServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetRoleResponse;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/**
 * The IAM API through the AWS SDK for Java v2's IamClient against a real server, as the
 * bootstrap administrator: each entity's lifecycle, IAM's error codes and words, pagination,
 * the two-key quota, delete conflicts and URL-encoded documents.
 */
class IamApiTest {
    private static final String ALLOW_SECRETS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
    private static final String ALLOW_LIST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"secretsmanager:ListSecrets\",\"Resource\":\"*\"}]}";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private static TestServer server;
    private static IamClient iam;
    private static String account;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        account = server.accountId();
        iam = client(server.adminCredentials());
    }

    @AfterAll
    static void stop() {
        if (iam != null) iam.close();
        if (server != null) server.close();
    }

    static IamClient client(AwsCredentials credentials) {
        return clientFor(server, credentials);
    }

    static IamClient clientFor(TestServer server) {
        return clientFor(server, server.adminCredentials());
    }

    static IamClient clientFor(TestServer server, AwsCredentials credentials) {
        return IamClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    // ---- users ---------------------------------------------------------------------------------

    @Test
    void bootstrapAdministrator_isAnIamUserWithAdministratorAccess() {
        User me = iam.getUser(b -> {}).user();
        assertThat(me.userName()).isEqualTo("coffer-admin");
        assertThat(me.arn()).isEqualTo("arn:aws:iam::" + account + ":user/coffer-admin");
        assertThat(me.userId()).matches("AIDA[A-Z2-7]{17}");
        assertThat(iam.listAttachedUserPolicies(b -> b.userName("coffer-admin")).attachedPolicies())
                .extracting(AttachedPolicy::policyArn).containsExactly("arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(iam.listAccessKeys(b -> {}).accessKeyMetadata()).hasSize(1);
    }

    @Test
    void userLifecycle_createGetUpdateTagDelete() {
        User created = iam.createUser(b -> b.userName("alice").path("/engineering/")
                .tags(Tag.builder().key("team").value("payments").build())).user();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + account + ":user/engineering/alice");
        assertThat(created.userId()).matches("AIDA[A-Z2-7]{17}");
        assertThat(created.path()).isEqualTo("/engineering/");
        assertThat(created.createDate()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));

        User got = iam.getUser(b -> b.userName("alice")).user();
        assertThat(got.userId()).isEqualTo(created.userId());
        assertThat(got.tags()).containsExactly(Tag.builder().key("team").value("payments").build());

        fails(() -> iam.createUser(b -> b.userName("ALICE")), "EntityAlreadyExists", 409, "User with name ALICE already exists.");

        iam.tagUser(b -> b.userName("alice").tags(Tag.builder().key("cost-center").value("42").build(),
                Tag.builder().key("team").value("risk").build()));
        assertThat(iam.listUserTags(b -> b.userName("alice")).tags()).extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("team", "risk"),
                        org.assertj.core.groups.Tuple.tuple("cost-center", "42"));
        iam.untagUser(b -> b.userName("alice").tagKeys("cost-center"));
        assertThat(iam.listUserTags(b -> b.userName("alice")).tags()).extracting(Tag::key).containsExactly("team");

        iam.updateUser(b -> b.userName("alice").newUserName("alice2").newPath("/risk/"));
        fails(() -> iam.getUser(b -> b.userName("alice")), "NoSuchEntity", 404, "The user with name alice cannot be found.");
        User renamed = iam.getUser(b -> b.userName("alice2")).user();
        assertThat(renamed.userId()).isEqualTo(created.userId());
        assertThat(renamed.arn()).isEqualTo("arn:aws:iam::" + account + ":user/risk/alice2");

        iam.deleteUser(b -> b.userName("alice2"));
        fails(() -> iam.getUser(b -> b.userName("alice2")), "NoSuchEntity", 404, "The user with name alice2 cannot be found.");
        fails(() -> iam.deleteUser(b -> b.userName("alice2")), "NoSuchEntity", 404, "The user with name alice2 cannot be found.");
    }

    @Test
    void invalidUserName_isAValidationError() {
        assertThatThrownBy(() -> iam.createUser(b -> b.userName("bad name!"))).isInstanceOfSatisfying(AwsServiceException.class,
                e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("userName");
                });
    }

    @Test
    void listUsers_paginatesWithMarkerAndMaxItems() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            iam.createUser(b -> b.userName("pager-" + n).path("/paging/"));
        }
        List<String> names = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListUsersResponse page = iam.listUsers(b -> b.pathPrefix("/paging/").maxItems(2).marker(m));
            pages++;
            assertThat(page.users()).hasSizeLessThanOrEqualTo(2);
            page.users().forEach(u -> names.add(u.userName()));
            marker = page.isTruncated() ? page.marker() : null;
            if (page.isTruncated()) assertThat(page.marker()).isNotBlank();
        } while (marker != null);
        assertThat(pages).isEqualTo(3);
        // A marker stays good when the user it names is deleted meanwhile.
        String afterFirst = iam.listUsers(b -> b.pathPrefix("/paging/").maxItems(1)).marker();
        iam.deleteUser(b -> b.userName("pager-0"));
        assertThat(iam.listUsers(b -> b.pathPrefix("/paging/").maxItems(1).marker(afterFirst)).users())
                .extracting(User::userName).containsExactly("pager-1");
        iam.createUser(b -> b.userName("pager-0").path("/paging/"));
        assertThat(names).containsExactly("pager-0", "pager-1", "pager-2", "pager-3", "pager-4");
        // The SDK's paginator follows the markers too.
        assertThat(iam.listUsersPaginator(b -> b.pathPrefix("/paging/").maxItems(2)).users().stream().map(User::userName))
                .containsExactly("pager-0", "pager-1", "pager-2", "pager-3", "pager-4");
    }

    // ---- access keys ---------------------------------------------------------------------------

    @Test
    void accessKeys_twoPerUser_secretShownOnce_inactiveAndDeletedKeysStopWorking() throws Exception {
        iam.createUser(b -> b.userName("bob"));
        AccessKey first = iam.createAccessKey(b -> b.userName("bob")).accessKey();
        assertThat(first.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(first.secretAccessKey()).hasSize(40);
        assertThat(first.status()).isEqualTo(StatusType.ACTIVE);
        assertThat(first.userName()).isEqualTo("bob");
        AccessKey second = iam.createAccessKey(b -> b.userName("bob")).accessKey();
        fails(() -> iam.createAccessKey(b -> b.userName("bob")), "LimitExceeded", 409,
                "Cannot exceed quota for AccessKeysPerUser: 2");
        assertThat(iam.listAccessKeys(b -> b.userName("bob")).accessKeyMetadata())
                .extracting(k -> k.accessKeyId()).containsExactlyInAnyOrder(first.accessKeyId(), second.accessKeyId());

        // The new key authenticates (the bootstrap authorizer then refuses anyone but the administrator).
        try (IamClient bob = client(AwsBasicCredentials.create(first.accessKeyId(), first.secretAccessKey()))) {
            fails(() -> bob.getUser(b -> {}), "AccessDenied", 403, null);
            iam.updateAccessKey(b -> b.userName("bob").accessKeyId(first.accessKeyId()).status(StatusType.INACTIVE));
            fails(() -> bob.getUser(b -> {}), "InvalidClientTokenId", 403, null);
            iam.updateAccessKey(b -> b.userName("bob").accessKeyId(first.accessKeyId()).status(StatusType.ACTIVE));
            fails(() -> bob.getUser(b -> {}), "AccessDenied", 403, null);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (iam.getAccessKeyLastUsed(b -> b.accessKeyId(first.accessKeyId())).accessKeyLastUsed().lastUsedDate() == null
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        var lastUsed = iam.getAccessKeyLastUsed(b -> b.accessKeyId(first.accessKeyId()));
        assertThat(lastUsed.userName()).isEqualTo("bob");
        assertThat(lastUsed.accessKeyLastUsed().lastUsedDate()).isNotNull();
        assertThat(lastUsed.accessKeyLastUsed().serviceName()).isEqualTo("iam");
        assertThat(lastUsed.accessKeyLastUsed().region()).isEqualTo("us-east-1");
        assertThat(iam.getAccessKeyLastUsed(b -> b.accessKeyId(second.accessKeyId())).accessKeyLastUsed().serviceName())
                .isEqualTo("N/A");

        fails(() -> iam.deleteUser(b -> b.userName("bob")), "DeleteConflict", 409,
                "Cannot delete entity, must delete access keys first.");
        // A renamed user keeps its keys, and they now act as the renamed user.
        iam.updateUser(b -> b.userName("bob").newUserName("robert").newPath("/ops/"));
        try (IamClient robert = client(AwsBasicCredentials.create(second.accessKeyId(), second.secretAccessKey()))) {
            assertThatThrownBy(() -> robert.getUser(b -> {})).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::" + account + ":user/ops/robert ");
            });
        }
        assertThat(iam.listAccessKeys(b -> b.userName("robert")).accessKeyMetadata()).extracting(k -> k.userName())
                .containsOnly("robert");
        iam.updateUser(b -> b.userName("robert").newUserName("bob").newPath("/"));
        iam.deleteAccessKey(b -> b.userName("bob").accessKeyId(first.accessKeyId()));
        fails(() -> iam.deleteAccessKey(b -> b.userName("bob").accessKeyId(first.accessKeyId())), "NoSuchEntity", 404,
                "The Access Key with id " + first.accessKeyId() + " cannot be found.");
        try (IamClient bob = client(AwsBasicCredentials.create(first.accessKeyId(), first.secretAccessKey()))) {
            fails(() -> bob.getUser(b -> {}), "InvalidClientTokenId", 403, null);
        }
        iam.deleteAccessKey(b -> b.userName("bob").accessKeyId(second.accessKeyId()));
        iam.deleteUser(b -> b.userName("bob"));
    }

    // ---- roles ---------------------------------------------------------------------------------

    @Test
    void roleLifecycle_trustPolicyIsUrlEncoded_updatesAndDeleteConflict() {
        var created = iam.createRole(b -> b.roleName("payments-api").path("/service/").assumeRolePolicyDocument(TRUST)
                .description("Payments API").maxSessionDuration(7200).tags(Tag.builder().key("env").value("prod").build()))
                .role();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + account + ":role/service/payments-api");
        assertThat(created.roleId()).matches("AROA[A-Z2-7]{17}");
        assertThat(created.assumeRolePolicyDocument()).startsWith("%7B%22Version%22");
        assertThat(URLDecoder.decode(created.assumeRolePolicyDocument(), StandardCharsets.UTF_8)).isEqualTo(TRUST);

        GetRoleResponse got = iam.getRole(b -> b.roleName("PAYMENTS-API"));
        assertThat(got.role().maxSessionDuration()).isEqualTo(7200);
        assertThat(got.role().description()).isEqualTo("Payments API");
        assertThat(got.role().tags()).extracting(Tag::key).containsExactly("env");
        fails(() -> iam.createRole(b -> b.roleName("payments-api").assumeRolePolicyDocument(TRUST)), "EntityAlreadyExists", 409,
                "Role with name payments-api already exists.");
        fails(() -> iam.createRole(b -> b.roleName("broken").assumeRolePolicyDocument("not json")), "MalformedPolicyDocument",
                400, "Syntax errors in policy.");

        iam.updateRole(b -> b.roleName("payments-api").maxSessionDuration(43200));
        assertThat(iam.updateRoleDescription(b -> b.roleName("payments-api").description("new")).role().description())
                .isEqualTo("new");
        String newTrust = TRUST.replace("123456789012", account);
        iam.updateAssumeRolePolicy(b -> b.roleName("payments-api").policyDocument(newTrust));
        var updated = iam.getRole(b -> b.roleName("payments-api")).role();
        assertThat(updated.maxSessionDuration()).isEqualTo(43200);
        assertThat(URLDecoder.decode(updated.assumeRolePolicyDocument(), StandardCharsets.UTF_8)).isEqualTo(newTrust);
        assertThatThrownBy(() -> iam.updateRole(b -> b.roleName("payments-api").maxSessionDuration(100)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));

        iam.tagRole(b -> b.roleName("payments-api").tags(Tag.builder().key("owner").value("pay").build()));
        iam.untagRole(b -> b.roleName("payments-api").tagKeys("env"));
        assertThat(iam.listRoleTags(b -> b.roleName("payments-api")).tags()).extracting(Tag::key).containsExactly("owner");
        assertThat(iam.listRoles(b -> b.pathPrefix("/service/")).roles()).extracting(r -> r.roleName())
                .containsExactly("payments-api");

        iam.putRolePolicy(b -> b.roleName("payments-api").policyName("read").policyDocument(ALLOW_SECRETS));
        fails(() -> iam.deleteRole(b -> b.roleName("payments-api")), "DeleteConflict", 409,
                "Cannot delete entity, must delete policies first.");
        iam.deleteRolePolicy(b -> b.roleName("payments-api").policyName("read"));
        iam.attachRolePolicy(b -> b.roleName("payments-api").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        fails(() -> iam.deleteRole(b -> b.roleName("payments-api")), "DeleteConflict", 409,
                "Cannot delete entity, must detach all policies first.");
        iam.detachRolePolicy(b -> b.roleName("payments-api").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assertThat(iam.listInstanceProfilesForRole(b -> b.roleName("payments-api")).instanceProfiles()).isEmpty();
        iam.deleteRole(b -> b.roleName("payments-api"));
        fails(() -> iam.getRole(b -> b.roleName("payments-api")), "NoSuchEntity", 404,
                "The role with name payments-api cannot be found.");
    }

    // ---- inline policies -----------------------------------------------------------------------

    @Test
    void inlinePolicies_ofUsersGroupsAndRoles_areUrlEncodedWhenRead() {
        iam.createUser(b -> b.userName("carol"));
        iam.createGroup(b -> b.groupName("readers"));
        iam.createRole(b -> b.roleName("reader-role").assumeRolePolicyDocument(TRUST));

        iam.putUserPolicy(b -> b.userName("carol").policyName("ReadStripe").policyDocument(ALLOW_SECRETS));
        iam.putUserPolicy(b -> b.userName("carol").policyName("List").policyDocument(ALLOW_LIST));
        var got = iam.getUserPolicy(b -> b.userName("carol").policyName("ReadStripe"));
        assertThat(got.userName()).isEqualTo("carol");
        assertThat(got.policyDocument()).doesNotContain("{").contains("%22");
        assertThat(URLDecoder.decode(got.policyDocument(), StandardCharsets.UTF_8)).isEqualTo(ALLOW_SECRETS);
        assertThat(iam.listUserPolicies(b -> b.userName("carol")).policyNames()).containsExactly("List", "ReadStripe");
        var page = iam.listUserPolicies(b -> b.userName("carol").maxItems(1));
        assertThat(page.isTruncated()).isTrue();
        assertThat(iam.listUserPolicies(b -> b.userName("carol").marker(page.marker())).policyNames()).containsExactly("ReadStripe");

        iam.putGroupPolicy(b -> b.groupName("readers").policyName("G").policyDocument(ALLOW_LIST));
        assertThat(URLDecoder.decode(iam.getGroupPolicy(b -> b.groupName("readers").policyName("G")).policyDocument(),
                StandardCharsets.UTF_8)).isEqualTo(ALLOW_LIST);
        assertThat(iam.listGroupPolicies(b -> b.groupName("readers")).policyNames()).containsExactly("G");
        iam.putRolePolicy(b -> b.roleName("reader-role").policyName("R").policyDocument(ALLOW_SECRETS));
        assertThat(iam.listRolePolicies(b -> b.roleName("reader-role")).policyNames()).containsExactly("R");
        assertThat(URLDecoder.decode(iam.getRolePolicy(b -> b.roleName("reader-role").policyName("R")).policyDocument(),
                StandardCharsets.UTF_8)).isEqualTo(ALLOW_SECRETS);

        fails(() -> iam.putUserPolicy(b -> b.userName("carol").policyName("Bad").policyDocument("[1,2]")),
                "MalformedPolicyDocument", 400, "Syntax errors in policy.");
        fails(() -> iam.getUserPolicy(b -> b.userName("carol").policyName("Nope")), "NoSuchEntity", 404,
                "The user policy with name Nope cannot be found.");
        fails(() -> iam.getRolePolicy(b -> b.roleName("reader-role").policyName("Nope")), "NoSuchEntity", 404,
                "The role policy with name Nope cannot be found.");
        fails(() -> iam.deleteUser(b -> b.userName("carol")), "DeleteConflict", 409,
                "Cannot delete entity, must delete policies first.");

        iam.deleteUserPolicy(b -> b.userName("carol").policyName("ReadStripe"));
        iam.deleteUserPolicy(b -> b.userName("carol").policyName("List"));
        iam.deleteGroupPolicy(b -> b.groupName("readers").policyName("G"));
        iam.deleteRolePolicy(b -> b.roleName("reader-role").policyName("R"));
        assertThat(iam.listUserPolicies(b -> b.userName("carol")).policyNames()).isEmpty();
        iam.deleteUser(b -> b.userName("carol"));
        iam.deleteGroup(b -> b.groupName("readers"));
        iam.deleteRole(b -> b.roleName("reader-role"));
    }

    // ---- managed policies ----------------------------------------------------------------------

    @Test
    void managedPolicy_versionsAttachmentsAndConflicts() {
        Policy created = iam.createPolicy(b -> b.policyName("SecretsReader").path("/app/").policyDocument(ALLOW_SECRETS)
                .description("reads secrets")).policy();
        String arn = "arn:aws:iam::" + account + ":policy/app/SecretsReader";
        assertThat(created.arn()).isEqualTo(arn);
        assertThat(created.policyId()).matches("ANPA[A-Z2-7]{17}");
        assertThat(created.defaultVersionId()).isEqualTo("v1");
        assertThat(created.attachmentCount()).isZero();
        fails(() -> iam.createPolicy(b -> b.policyName("secretsreader").policyDocument(ALLOW_SECRETS)), "EntityAlreadyExists",
                409, "A policy called secretsreader already exists. Duplicate names are not allowed.");

        for (int i = 2; i <= 5; i++) {
            boolean setDefault = i == 3;
            var v = iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(ALLOW_LIST).setAsDefault(setDefault))
                    .policyVersion();
            assertThat(v.versionId()).isEqualTo("v" + i);
            assertThat(v.isDefaultVersion()).isEqualTo(setDefault);
        }
        fails(() -> iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(ALLOW_LIST)), "LimitExceeded", 409,
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v3");
        var v1 = iam.getPolicyVersion(b -> b.policyArn(arn).versionId("v1")).policyVersion();
        assertThat(URLDecoder.decode(v1.document(), StandardCharsets.UTF_8)).isEqualTo(ALLOW_SECRETS);
        assertThat(v1.isDefaultVersion()).isFalse();
        assertThat(iam.listPolicyVersions(b -> b.policyArn(arn)).versions()).extracting(v -> v.versionId())
                .containsExactly("v5", "v4", "v3", "v2", "v1");
        fails(() -> iam.deletePolicyVersion(b -> b.policyArn(arn).versionId("v3")), "DeleteConflict", 409,
                "Cannot delete the default version of a policy.");
        fails(() -> iam.getPolicyVersion(b -> b.policyArn(arn).versionId("v9")), "NoSuchEntity", 404,
                "Policy " + arn + " version v9 does not exist or is not attachable.");
        iam.setDefaultPolicyVersion(b -> b.policyArn(arn).versionId("v1"));
        iam.tagPolicy(b -> b.policyArn(arn).tags(Tag.builder().key("owner").value("sec").build()));
        assertThat(iam.listPolicyTags(b -> b.policyArn(arn)).tags()).extracting(Tag::key).containsExactly("owner");
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().tags()).extracting(Tag::value).containsExactly("sec");
        iam.untagPolicy(b -> b.policyArn(arn).tagKeys("owner"));
        assertThat(iam.listPolicyTags(b -> b.policyArn(arn)).tags()).isEmpty();
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v1");

        iam.createUser(b -> b.userName("dave"));
        iam.createGroup(b -> b.groupName("auditors"));
        iam.attachUserPolicy(b -> b.userName("dave").policyArn(arn));
        iam.attachGroupPolicy(b -> b.groupName("auditors").policyArn(arn));
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().attachmentCount()).isEqualTo(2);
        assertThat(iam.listAttachedUserPolicies(b -> b.userName("dave")).attachedPolicies())
                .containsExactly(AttachedPolicy.builder().policyName("SecretsReader").policyArn(arn).build());
        assertThat(iam.listAttachedGroupPolicies(b -> b.groupName("auditors")).attachedPolicies()).hasSize(1);
        var entities = iam.listEntitiesForPolicy(b -> b.policyArn(arn));
        assertThat(entities.policyUsers()).extracting(u -> u.userName()).containsExactly("dave");
        assertThat(entities.policyGroups()).extracting(g -> g.groupName()).containsExactly("auditors");
        assertThat(entities.policyRoles()).isEmpty();
        assertThat(iam.listPolicies(b -> b.scope(PolicyScopeType.LOCAL).onlyAttached(true)).policies())
                .extracting(Policy::arn).contains(arn);

        fails(() -> iam.deletePolicy(b -> b.policyArn(arn)), "DeleteConflict", 409, "Cannot delete a policy attached to entities.");
        fails(() -> iam.attachUserPolicy(b -> b.userName("dave").policyArn("arn:aws:iam::" + account + ":policy/Missing")),
                "NoSuchEntity", 404, "Policy arn:aws:iam::" + account + ":policy/Missing does not exist or is not attachable.");
        iam.detachUserPolicy(b -> b.userName("dave").policyArn(arn));
        iam.detachGroupPolicy(b -> b.groupName("auditors").policyArn(arn));
        fails(() -> iam.detachUserPolicy(b -> b.userName("dave").policyArn(arn)), "NoSuchEntity", 404,
                "Policy " + arn + " was not found.");
        fails(() -> iam.deletePolicy(b -> b.policyArn(arn)), "DeleteConflict", 409, "This policy has more than one version. "
                + "Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
        for (String v : List.of("v2", "v3", "v4", "v5")) iam.deletePolicyVersion(b -> b.policyArn(arn).versionId(v));
        iam.deletePolicy(b -> b.policyArn(arn));
        fails(() -> iam.getPolicy(b -> b.policyArn(arn)), "NoSuchEntity", 404, "Policy " + arn + " was not found.");
        iam.deleteUser(b -> b.userName("dave"));
        iam.deleteGroup(b -> b.groupName("auditors"));
    }

    @Test
    void awsManagedPolicies_areServedReadOnly() {
        List<String> aws = iam.listPoliciesPaginator(b -> b.scope(PolicyScopeType.AWS)).policies().stream()
                .map(Policy::policyName).toList();
        assertThat(aws).contains("AdministratorAccess", "SecretsManagerReadWrite", "IAMFullAccess", "IAMReadOnlyAccess",
                "ReadOnlyAccess");
        Policy admin = iam.getPolicy(b -> b.policyArn("arn:aws:iam::aws:policy/AdministratorAccess")).policy();
        assertThat(admin.attachmentCount()).isGreaterThanOrEqualTo(1);
        assertThat(admin.defaultVersionId()).isEqualTo("v1");
        String doc = iam.getPolicyVersion(b -> b.policyArn("arn:aws:iam::aws:policy/AdministratorAccess").versionId("v1"))
                .policyVersion().document();
        assertThat(URLDecoder.decode(doc, StandardCharsets.UTF_8)).contains("\"Action\":\"*\"");
        assertThat(iam.listPolicies(b -> b.onlyAttached(true)).policies()).extracting(Policy::policyName)
                .contains("AdministratorAccess");
        assertThatThrownBy(() -> iam.deletePolicy(b -> b.policyArn("arn:aws:iam::aws:policy/AdministratorAccess")))
                .isInstanceOf(AwsServiceException.class);
    }

    // ---- groups --------------------------------------------------------------------------------

    @Test
    void groupLifecycle_membersAndDeleteConflict() {
        iam.createUser(b -> b.userName("erin"));
        var group = iam.createGroup(b -> b.groupName("devs").path("/eng/")).group();
        assertThat(group.arn()).isEqualTo("arn:aws:iam::" + account + ":group/eng/devs");
        assertThat(group.groupId()).matches("AGPA[A-Z2-7]{17}");
        fails(() -> iam.createGroup(b -> b.groupName("DEVS")), "EntityAlreadyExists", 409, "Group with name DEVS already exists.");
        iam.addUserToGroup(b -> b.groupName("devs").userName("erin"));
        iam.addUserToGroup(b -> b.groupName("devs").userName("erin"));
        var got = iam.getGroup(b -> b.groupName("devs"));
        assertThat(got.group().groupName()).isEqualTo("devs");
        assertThat(got.users()).extracting(User::userName).containsExactly("erin");
        assertThat(iam.listGroupsForUser(b -> b.userName("erin")).groups()).extracting(g -> g.groupName()).containsExactly("devs");
        assertThat(iam.listGroups(b -> b.pathPrefix("/eng/")).groups()).extracting(g -> g.groupName()).containsExactly("devs");
        fails(() -> iam.deleteGroup(b -> b.groupName("devs")), "DeleteConflict", 409,
                "Cannot delete entity, must remove users from group first.");
        fails(() -> iam.deleteUser(b -> b.userName("erin")), "DeleteConflict", 409,
                "Cannot delete entity, must remove users from group first.");
        iam.updateGroup(b -> b.groupName("devs").newGroupName("developers"));
        fails(() -> iam.getGroup(b -> b.groupName("devs")), "NoSuchEntity", 404, "The group with name devs cannot be found.");
        iam.removeUserFromGroup(b -> b.groupName("developers").userName("erin"));
        assertThat(iam.getGroup(b -> b.groupName("developers")).users()).isEmpty();
        iam.deleteGroup(b -> b.groupName("developers"));
        iam.deleteUser(b -> b.userName("erin"));
    }

    // ---- OIDC providers and boundaries ------------------------------------------------------------

    @Test
    void oidcProviderLifecycle() {
        String arn = iam.createOpenIDConnectProvider(b -> b.url("https://token.actions.githubusercontent.com")
                .clientIDList("sts.amazonaws.com").thumbprintList("6938fd4d98bab03faadb97b34396831e3780aea1"))
                .openIDConnectProviderArn();
        assertThat(arn).isEqualTo("arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com");
        fails(() -> iam.createOpenIDConnectProvider(b -> b.url("https://token.actions.githubusercontent.com")
                .clientIDList("x").thumbprintList("6938fd4d98bab03faadb97b34396831e3780aea1")), "EntityAlreadyExists", 409,
                "Provider with url https://token.actions.githubusercontent.com already exists.");
        iam.addClientIDToOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).clientID("my-app"));
        iam.removeClientIDFromOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).clientID("sts.amazonaws.com"));
        iam.updateOpenIDConnectProviderThumbprint(b -> b.openIDConnectProviderArn(arn)
                .thumbprintList("1c58a3a8518e8759bf075b76b750d4f2df264fcd"));
        var got = iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        assertThat(got.url()).isEqualTo("token.actions.githubusercontent.com");
        assertThat(got.clientIDList()).containsExactly("my-app");
        assertThat(got.thumbprintList()).containsExactly("1c58a3a8518e8759bf075b76b750d4f2df264fcd");
        assertThat(iam.listOpenIDConnectProviders(b -> {}).openIDConnectProviderList()).extracting(p -> p.arn()).contains(arn);
        iam.tagOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).tags(Tag.builder().key("ci").value("github").build()));
        assertThat(iam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)).tags()).extracting(Tag::key)
                .containsExactly("ci");
        iam.untagOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn).tagKeys("ci"));
        assertThat(iam.listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(arn)).tags()).isEmpty();
        iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
        assertThatThrownBy(() -> iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity"));
    }

    @Test
    void permissionsBoundaries_onUsersAndRoles() {
        String boundary = "arn:aws:iam::aws:policy/SecretsManagerReadWrite";
        iam.createUser(b -> b.userName("frank").permissionsBoundary(boundary));
        assertThat(iam.getUser(b -> b.userName("frank")).user().permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
        var usage = iam.listEntitiesForPolicy(b -> b.policyArn(boundary).policyUsageFilter("PermissionsBoundary"));
        assertThat(usage.policyUsers()).extracting(u -> u.userName()).containsExactly("frank");
        assertThat(iam.listEntitiesForPolicy(b -> b.policyArn(boundary).policyUsageFilter("PermissionsPolicy")).policyUsers())
                .isEmpty();
        assertThat(iam.listPolicies(b -> b.policyUsageFilter("PermissionsBoundary")).policies())
                .filteredOn(p -> p.arn().equals(boundary)).singleElement()
                .satisfies(p -> assertThat(p.permissionsBoundaryUsageCount()).isEqualTo(1));
        iam.deleteUserPermissionsBoundary(b -> b.userName("frank"));
        assertThat(iam.getUser(b -> b.userName("frank")).user().permissionsBoundary()).isNull();
        iam.putUserPermissionsBoundary(b -> b.userName("frank").permissionsBoundary("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assertThat(iam.getUser(b -> b.userName("frank")).user().permissionsBoundary().permissionsBoundaryType().toString())
                .isEqualTo("PermissionsBoundaryPolicy");
        iam.createRole(b -> b.roleName("bounded").assumeRolePolicyDocument(TRUST));
        iam.putRolePermissionsBoundary(b -> b.roleName("bounded").permissionsBoundary(boundary));
        assertThat(iam.getRole(b -> b.roleName("bounded")).role().permissionsBoundary().permissionsBoundaryArn()).isEqualTo(boundary);
        iam.deleteRolePermissionsBoundary(b -> b.roleName("bounded"));
        assertThat(iam.getRole(b -> b.roleName("bounded")).role().permissionsBoundary()).isNull();
        fails(() -> iam.putUserPermissionsBoundary(b -> b.userName("frank").permissionsBoundary(
                "arn:aws:iam::" + account + ":policy/Nope")), "NoSuchEntity", 404,
                "Policy arn:aws:iam::" + account + ":policy/Nope does not exist or is not attachable.");
        iam.deleteUser(b -> b.userName("frank"));
        iam.deleteRole(b -> b.roleName("bounded"));
    }

    static void fails(Executable call, String code, int status, String message) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }
}
