package dev.coffer.server.identities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.seal.FileRootKeySource;
import dev.coffer.server.store.Store;
import dev.coffer.server.sts.AssumableRole;
import dev.coffer.server.testkit.MutableClock;
import dev.coffer.server.testkit.TestServer;
import dev.coffer.server.testkit.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side of IAM on a real store, with the IAM service writing what it reads. */
class IdentityDirectoryTest {
    private static final String ACCOUNT = "111122223333";
    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:x\",\"Resource\":\"*\"}]}";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private Path dir;
    private Store store;
    private IdentityDirectory directory;
    private Map<String, Operation<?, ?>> ops;
    private final CallContext ctx = new CallContext(new Principal(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/coffer-admin",
            "AIDAEXAMPLE", "AKIAEXAMPLE", Principal.Kind.USER), ACCOUNT, "us-east-1", "r", "127.0.0.1", "test");

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("coffer-directory-");
        store = TestStores.open(dir);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        Keyring keyring = Keyring.open(FileRootKeySource.createIfMissing(dir.resolve("root.key")), store, clock);
        RowMacs macs = new RowMacs(keyring);
        AwsManagedPolicies aws = new AwsManagedPolicies();
        ops = new IamService(store, keyring, macs, aws, clock, new SecureRandom()).operations().stream()
                .collect(Collectors.toMap(Operation::name, o -> o));
        directory = new IdentityDirectory(store, macs, aws);
    }

    @AfterEach
    void close() {
        store.close();
        TestServer.deleteRecursively(dir);
    }

    @SuppressWarnings("unchecked")
    private <R> R call(String operation, Object request) {
        return (R) ops.get(operation).invoke(ctx, request);
    }

    private static Principal user(String name) {
        return new Principal(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/" + name, "AIDAX", "AKIAX", Principal.Kind.USER);
    }

    @Test
    void user_seesItsOwnAndItsGroupsPolicies_boundaryAndTags() {
        call("CreateUser", new CreateUserRequest(null, "alice", null, List.of(new Tag("team", "pay"))));
        call("CreateGroup", new CreateGroupRequest(null, "devs"));
        call("AddUserToGroup", new GroupUserRequest("devs", "alice"));
        call("PutUserPolicy", new PutUserPolicyRequest("alice", "ReadStripe", DOC));
        call("PutGroupPolicy", new PutGroupPolicyRequest("devs", "X", DOC));
        call("AttachGroupPolicy", new GroupPolicyArnRequest("devs", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        call("CreatePolicy", new CreatePolicyRequest("Mine", null, DOC, null, null));
        call("AttachUserPolicy", new UserPolicyArnRequest("alice", "arn:aws:iam::" + ACCOUNT + ":policy/Mine"));
        call("PutUserPermissionsBoundary", new PutUserPermissionsBoundaryRequest("alice",
                "arn:aws:iam::aws:policy/SecretsManagerReadWrite"));

        IdentityDirectory.PrincipalPolicies p = directory.policiesFor(user("alice"));
        assertThat(p.exists()).isTrue();
        assertThat(p.userName()).isEqualTo("alice");
        assertThat(p.identity()).extracting(NamedPolicy::source).containsExactlyInAnyOrder(
                "arn:aws:iam::" + ACCOUNT + ":user/alice#inline/ReadStripe",
                "arn:aws:iam::" + ACCOUNT + ":policy/Mine",
                "arn:aws:iam::" + ACCOUNT + ":group/devs#inline/X",
                "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(p.boundary().source()).isEqualTo("arn:aws:iam::aws:policy/SecretsManagerReadWrite");
        assertThat(p.principalTags()).containsExactly(Map.entry("team", "pay"));
        assertThat(p.session()).isEmpty();

        // Cached until an identities write: the same object, then a fresh one reflecting the change.
        assertThat(directory.policiesFor(user("alice"))).isSameAs(p);
        call("RemoveUserFromGroup", new GroupUserRequest("devs", "alice"));
        assertThat(directory.policiesFor(user("alice")).identity()).extracting(NamedPolicy::source).containsExactlyInAnyOrder(
                "arn:aws:iam::" + ACCOUNT + ":user/alice#inline/ReadStripe", "arn:aws:iam::" + ACCOUNT + ":policy/Mine");

        // The default version decides.
        call("CreatePolicyVersion", new CreatePolicyVersionRequest("arn:aws:iam::" + ACCOUNT + ":policy/Mine",
                DOC.replace("s3:x", "s3:y"), true));
        assertThat(directory.policiesFor(user("alice")).identity()).filteredOn(n -> n.source().endsWith(":policy/Mine"))
                .singleElement().satisfies(n -> assertThat(n.document().json()).contains("s3:y"));
    }

    @Test
    void goneUser_doesNotExist() {
        assertThat(directory.policiesFor(user("nobody")).exists()).isFalse();
        call("CreateUser", new CreateUserRequest(null, "temp", null, null));
        assertThat(directory.policiesFor(user("temp")).exists()).isTrue();
        call("DeleteUser", new UserNameRequest("temp"));
        assertThat(directory.policiesFor(user("temp")).exists()).isFalse();
    }

    @Test
    void roleSession_rolePoliciesSessionTagsOverrideRoleTags_andSessionPolicies() {
        call("CreateRole", new CreateRoleRequest(null, "payments-api", TRUST, null, 7200, null,
                List.of(new Tag("env", "prod"), new Tag("team", "pay"))));
        call("PutRolePolicy", new PutRolePolicyRequest("payments-api", "Inline", DOC));
        call("AttachRolePolicy", new RolePolicyArnRequest("payments-api", "arn:aws:iam::aws:policy/SecretsManagerReadWrite"));
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/payments-api";

        AssumableRole role = directory.role(roleArn).orElseThrow();
        assertThat(role.roleId()).startsWith("AROA");
        assertThat(role.maxSessionDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(role.trustPolicy()).isEqualTo(TRUST);
        assertThat(role.tags()).containsEntry("env", "prod");

        Instant now = Instant.now();
        Principal.Session session = new Principal.Session(roleArn, "pod-7", now, now.plusSeconds(3600), Map.of("ENV", "dev"),
                Set.of(), DOC, List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), null, null);
        Principal sessionPrincipal = new Principal(ACCOUNT, "arn:aws:sts::" + ACCOUNT + ":assumed-role/payments-api/pod-7",
                role.roleId() + ":pod-7", "ASIAX", Principal.Kind.ASSUMED_ROLE, session);
        IdentityDirectory.PrincipalPolicies p = directory.policiesFor(sessionPrincipal);
        assertThat(p.exists()).isTrue();
        assertThat(p.userName()).isNull();
        assertThat(p.identity()).extracting(NamedPolicy::source).containsExactlyInAnyOrder(roleArn + "#inline/Inline",
                "arn:aws:iam::aws:policy/SecretsManagerReadWrite");
        assertThat(p.session()).extracting(NamedPolicy::source).containsExactly(sessionPrincipal.arn() + "#session-policy",
                "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(p.principalTags()).containsOnly(Map.entry("ENV", "dev"), Map.entry("team", "pay"));

        call("DeleteRolePolicy", new RolePolicyRequest("payments-api", "Inline"));
        call("DetachRolePolicy", new RolePolicyArnRequest("payments-api", "arn:aws:iam::aws:policy/SecretsManagerReadWrite"));
        call("DeleteRole", new RoleNameRequest("payments-api"));
        assertThat(directory.policiesFor(sessionPrincipal).exists()).isFalse();
        assertThat(directory.role(roleArn)).isEmpty();
    }

    @Test
    void oidcProviders_andPrincipals() {
        call("CreateOpenIDConnectProvider", new CreateOpenIDConnectProviderRequest("https://issuer.example.com/tenant",
                List.of("sts.amazonaws.com"), List.of("6938fd4d98bab03faadb97b34396831e3780aea1"), null));
        assertThat(directory.oidcProvider(ACCOUNT, "https://issuer.example.com/tenant")).hasValueSatisfying(p -> {
            assertThat(p.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.example.com/tenant");
            assertThat(p.clientIds()).containsExactly("sts.amazonaws.com");
        });
        assertThat(directory.oidcProvider(ACCOUNT, "https://other.example.com")).isEmpty();
        assertThat(directory.oidcProvider("999999999999", "https://issuer.example.com/tenant")).isEmpty();

        call("CreateUser", new CreateUserRequest(null, "bob", null, null));
        call("CreateGroup", new CreateGroupRequest(null, "ops"));
        call("AddUserToGroup", new GroupUserRequest("ops", "bob"));
        call("CreateRole", new CreateRoleRequest(null, "r1", TRUST, null, null, null, null));
        assertThat(directory.principals()).containsExactlyInAnyOrder(
                new IdentityDirectory.PrincipalEntry(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":user/bob", "bob", "user", List.of("ops")),
                new IdentityDirectory.PrincipalEntry(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/r1", "r1", "role", List.of()));
    }

    @Test
    void operations_nameTheirIamResourceAndConditionKeys() {
        call("CreateUser", new CreateUserRequest("/eng/", "alice", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                List.of(new Tag("team", "pay"))));
        var create = ops.get("CreateUser").targetOf(ctx, new CreateUserRequest("/eng/", "bob",
                "arn:aws:iam::aws:policy/ReadOnlyAccess", List.of(new Tag("team", "risk"))));
        assertThat(create.resourceArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/eng/bob");
        assertThat(create.conditionKeys()).containsEntry("aws:RequestTag/team", List.of("risk"))
                .containsEntry("aws:TagKeys", List.of("team"))
                .containsEntry("iam:PermissionsBoundary", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));

        var attach = ops.get("AttachUserPolicy").targetOf(ctx, new UserPolicyArnRequest("alice",
                "arn:aws:iam::aws:policy/AdministratorAccess"));
        assertThat(attach.resourceArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/eng/alice");
        assertThat(attach.resourceAccount()).isEqualTo(ACCOUNT);
        assertThat(attach.conditionKeys()).containsOnlyKeys("iam:PolicyARN", "iam:PermissionsBoundary", "aws:ResourceTag/team")
                .containsEntry("iam:PolicyARN", List.of("arn:aws:iam::aws:policy/AdministratorAccess"))
                .containsEntry("iam:PermissionsBoundary", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"));

        var get = ops.get("GetUser").targetOf(ctx, new GetUserRequest("alice"));
        assertThat(get.conditionKeys()).containsOnlyKeys("aws:ResourceTag/team");
        var self = ops.get("GetUser").targetOf(ctx, new GetUserRequest(null));
        assertThat(self.resourceArn()).isEqualTo(ctx.principal().arn());
        var selfKeys = ops.get("DeleteUserPermissionsBoundary").targetOf(ctx, new UserNameRequest("nobody"));
        assertThat(selfKeys.conditionKeys()).isEmpty();

        var policy = ops.get("GetPolicy").targetOf(ctx, new PolicyArnRequest("arn:aws:iam::aws:policy/AdministratorAccess"));
        assertThat(policy.resourceArn()).isEqualTo("arn:aws:iam::aws:policy/AdministratorAccess");
        var list = ops.get("ListUsers").targetOf(ctx, new ListUsersRequest(null, null, null));
        assertThat(list.resourceArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/");
    }
}
