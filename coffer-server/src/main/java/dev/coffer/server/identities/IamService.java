package dev.coffer.server.identities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.MalformedPolicyException;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.InlinePolicyRow;
import dev.coffer.server.store.IdentityRepository.MemberRow;
import dev.coffer.server.store.IdentityRepository.OidcProviderRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.PolicyVersionRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.Transaction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The IAM API (Query protocol): users and their access keys, roles, groups, inline and managed
 * policies and their attachments, OIDC providers and permissions boundaries, with IAM's own
 * error codes and words. Rows that decide access are written with their MAC ({@link RowMacs}).
 * Each operation names its IAM resource ARN and condition keys for the authorizer.
 */
public final class IamService {
    public static final String SIGNING_NAME = "iam";
    static final int MAX_ACCESS_KEYS = 2;
    static final int MAX_POLICY_VERSIONS = 5;
    static final int MAX_ATTACHED = 10;
    static final int MAX_TAGS = 50;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Tag>> TAG_LIST = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private final Store store;
    private final Keyring keyring;
    private final RowMacs macs;
    private final AwsManagedPolicies awsPolicies;
    private final Clock clock;
    private final SecureRandom random;

    public IamService(Store store, Keyring keyring, RowMacs macs, AwsManagedPolicies awsPolicies, Clock clock,
                      SecureRandom random) {
        this.store = store;
        this.keyring = keyring;
        this.macs = macs;
        this.awsPolicies = awsPolicies;
        this.clock = clock;
        this.random = random;
    }

    private <Q, R> Operation<Q, R> op(String name, Class<Q> type, boolean readOnly, Operation.Handler<Q, R> handler,
                                      AccessTarget.Resolver<Q> target) {
        return new Operation<>(SIGNING_NAME, name, type, readOnly, handler).withTarget(target);
    }

    public List<Operation<?, ?>> operations() {
        return List.of(
                // users
                op("CreateUser", CreateUserRequest.class, false, this::createUser,
                        (c, r) -> target(c, arn(c.accountId(), "user", r.Path(), r.UserName()),
                                keys(requestTags(r.Tags()), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("GetUser", GetUserRequest.class, true, this::getUser, (c, r) -> userTarget(c, r.UserName())),
                op("ListUsers", ListUsersRequest.class, true, this::listUsers, (c, r) -> listTarget(c, "user")),
                op("UpdateUser", UpdateUserRequest.class, false, this::updateUser, (c, r) -> userTarget(c, r.UserName())),
                op("DeleteUser", UserNameRequest.class, false, this::deleteUser, (c, r) -> userTarget(c, r.UserName())),
                op("TagUser", TagUserRequest.class, false, this::tagUser,
                        (c, r) -> userTarget(c, r.UserName(), requestTags(r.Tags()))),
                op("UntagUser", UntagUserRequest.class, false, this::untagUser,
                        (c, r) -> userTarget(c, r.UserName(), tagKeys(r.TagKeys()))),
                op("ListUserTags", ListUserTagsRequest.class, true, this::listUserTags, (c, r) -> userTarget(c, r.UserName())),
                // access keys
                op("CreateAccessKey", UserNameRequest.class, false, this::createAccessKey, (c, r) -> userTarget(c, r.UserName())),
                op("ListAccessKeys", ListAccessKeysRequest.class, true, this::listAccessKeys,
                        (c, r) -> userTarget(c, r.UserName())),
                op("UpdateAccessKey", UpdateAccessKeyRequest.class, false, this::updateAccessKey,
                        (c, r) -> userTarget(c, r.UserName())),
                op("DeleteAccessKey", DeleteAccessKeyRequest.class, false, this::deleteAccessKey,
                        (c, r) -> userTarget(c, r.UserName())),
                op("GetAccessKeyLastUsed", GetAccessKeyLastUsedRequest.class, true, this::getAccessKeyLastUsed,
                        this::accessKeyTarget),
                // roles
                op("CreateRole", CreateRoleRequest.class, false, this::createRole,
                        (c, r) -> target(c, arn(c.accountId(), "role", r.Path(), r.RoleName()),
                                keys(requestTags(r.Tags()), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("GetRole", RoleNameRequest.class, true, this::getRole, (c, r) -> roleTarget(c, r.RoleName())),
                op("ListRoles", ListRolesRequest.class, true, this::listRoles, (c, r) -> listTarget(c, "role")),
                op("UpdateRole", UpdateRoleRequest.class, false, this::updateRole, (c, r) -> roleTarget(c, r.RoleName())),
                op("UpdateRoleDescription", UpdateRoleDescriptionRequest.class, false, this::updateRoleDescription,
                        (c, r) -> roleTarget(c, r.RoleName())),
                op("UpdateAssumeRolePolicy", UpdateAssumeRolePolicyRequest.class, false, this::updateAssumeRolePolicy,
                        (c, r) -> roleTarget(c, r.RoleName())),
                op("DeleteRole", RoleNameRequest.class, false, this::deleteRole, (c, r) -> roleTarget(c, r.RoleName())),
                op("TagRole", TagRoleRequest.class, false, this::tagRole,
                        (c, r) -> roleTarget(c, r.RoleName(), requestTags(r.Tags()))),
                op("UntagRole", UntagRoleRequest.class, false, this::untagRole,
                        (c, r) -> roleTarget(c, r.RoleName(), tagKeys(r.TagKeys()))),
                op("ListRoleTags", ListRoleTagsRequest.class, true, this::listRoleTags, (c, r) -> roleTarget(c, r.RoleName())),
                // inline policies
                op("PutUserPolicy", PutUserPolicyRequest.class, false, this::putUserPolicy,
                        (c, r) -> userTarget(c, r.UserName(), boundaryKey(Map.of()))),
                op("GetUserPolicy", UserPolicyRequest.class, true, this::getUserPolicy, (c, r) -> userTarget(c, r.UserName())),
                op("DeleteUserPolicy", UserPolicyRequest.class, false, this::deleteUserPolicy,
                        (c, r) -> userTarget(c, r.UserName(), boundaryKey(Map.of()))),
                op("ListUserPolicies", ListUserPoliciesRequest.class, true, this::listUserPolicies,
                        (c, r) -> userTarget(c, r.UserName())),
                op("PutGroupPolicy", PutGroupPolicyRequest.class, false, this::putGroupPolicy,
                        (c, r) -> groupTarget(c, r.GroupName())),
                op("GetGroupPolicy", GroupPolicyRequest.class, true, this::getGroupPolicy, (c, r) -> groupTarget(c, r.GroupName())),
                op("DeleteGroupPolicy", GroupPolicyRequest.class, false, this::deleteGroupPolicy,
                        (c, r) -> groupTarget(c, r.GroupName())),
                op("ListGroupPolicies", ListGroupPoliciesRequest.class, true, this::listGroupPolicies,
                        (c, r) -> groupTarget(c, r.GroupName())),
                op("PutRolePolicy", PutRolePolicyRequest.class, false, this::putRolePolicy,
                        (c, r) -> roleTarget(c, r.RoleName(), boundaryKey(Map.of()))),
                op("GetRolePolicy", RolePolicyRequest.class, true, this::getRolePolicy, (c, r) -> roleTarget(c, r.RoleName())),
                op("DeleteRolePolicy", RolePolicyRequest.class, false, this::deleteRolePolicy,
                        (c, r) -> roleTarget(c, r.RoleName(), boundaryKey(Map.of()))),
                op("ListRolePolicies", ListRolePoliciesRequest.class, true, this::listRolePolicies,
                        (c, r) -> roleTarget(c, r.RoleName())),
                // managed policies
                op("CreatePolicy", CreatePolicyRequest.class, false, this::createPolicy,
                        (c, r) -> target(c, arn(c.accountId(), "policy", r.Path(), r.PolicyName()), requestTags(r.Tags()))),
                op("GetPolicy", PolicyArnRequest.class, true, this::getPolicy, (c, r) -> policyTarget(c, r.PolicyArn())),
                op("ListPolicies", ListPoliciesRequest.class, true, this::listPolicies, (c, r) -> listTarget(c, "policy")),
                op("DeletePolicy", PolicyArnRequest.class, false, this::deletePolicy, (c, r) -> policyTarget(c, r.PolicyArn())),
                op("CreatePolicyVersion", CreatePolicyVersionRequest.class, false, this::createPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("GetPolicyVersion", PolicyVersionRequest.class, true, this::getPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("ListPolicyVersions", ListPolicyVersionsRequest.class, true, this::listPolicyVersions,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("DeletePolicyVersion", PolicyVersionRequest.class, false, this::deletePolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("SetDefaultPolicyVersion", PolicyVersionRequest.class, false, this::setDefaultPolicyVersion,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                op("AttachUserPolicy", UserPolicyArnRequest.class, false, (c, r) -> attach(c, "user", r.UserName(), r.PolicyArn()),
                        (c, r) -> userTarget(c, r.UserName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("AttachGroupPolicy", GroupPolicyArnRequest.class, false,
                        (c, r) -> attach(c, "group", r.GroupName(), r.PolicyArn()),
                        (c, r) -> groupTarget(c, r.GroupName(), keys(Map.of(), "iam:PolicyARN", r.PolicyArn()))),
                op("AttachRolePolicy", RolePolicyArnRequest.class, false, (c, r) -> attach(c, "role", r.RoleName(), r.PolicyArn()),
                        (c, r) -> roleTarget(c, r.RoleName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("DetachUserPolicy", UserPolicyArnRequest.class, false, (c, r) -> detach(c, "user", r.UserName(), r.PolicyArn()),
                        (c, r) -> userTarget(c, r.UserName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("DetachGroupPolicy", GroupPolicyArnRequest.class, false,
                        (c, r) -> detach(c, "group", r.GroupName(), r.PolicyArn()),
                        (c, r) -> groupTarget(c, r.GroupName(), keys(Map.of(), "iam:PolicyARN", r.PolicyArn()))),
                op("DetachRolePolicy", RolePolicyArnRequest.class, false, (c, r) -> detach(c, "role", r.RoleName(), r.PolicyArn()),
                        (c, r) -> roleTarget(c, r.RoleName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "user", r.UserName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> userTarget(c, r.UserName())),
                op("ListAttachedGroupPolicies", ListAttachedGroupPoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "group", r.GroupName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> groupTarget(c, r.GroupName())),
                op("ListAttachedRolePolicies", ListAttachedRolePoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "role", r.RoleName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> roleTarget(c, r.RoleName())),
                op("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.class, true, this::listEntitiesForPolicy,
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                // groups
                op("CreateGroup", CreateGroupRequest.class, false, this::createGroup,
                        (c, r) -> target(c, arn(c.accountId(), "group", r.Path(), r.GroupName()), Map.of())),
                op("GetGroup", GetGroupRequest.class, true, this::getGroup, (c, r) -> groupTarget(c, r.GroupName())),
                op("ListGroups", ListGroupsRequest.class, true, this::listGroups, (c, r) -> listTarget(c, "group")),
                op("UpdateGroup", UpdateGroupRequest.class, false, this::updateGroup, (c, r) -> groupTarget(c, r.GroupName())),
                op("DeleteGroup", GroupNameRequest.class, false, this::deleteGroup, (c, r) -> groupTarget(c, r.GroupName())),
                op("AddUserToGroup", GroupUserRequest.class, false, this::addUserToGroup, (c, r) -> groupTarget(c, r.GroupName())),
                op("RemoveUserFromGroup", GroupUserRequest.class, false, this::removeUserFromGroup,
                        (c, r) -> groupTarget(c, r.GroupName())),
                op("ListGroupsForUser", ListGroupsForUserRequest.class, true, this::listGroupsForUser,
                        (c, r) -> userTarget(c, r.UserName())),
                // OIDC providers
                op("CreateOpenIDConnectProvider", CreateOpenIDConnectProviderRequest.class, false, this::createOidcProvider,
                        (c, r) -> target(c, oidcArn(c.accountId(), r.Url()), requestTags(r.Tags()))),
                op("GetOpenIDConnectProvider", OpenIDConnectProviderArnRequest.class, true, this::getOidcProvider,
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("ListOpenIDConnectProviders", ListOpenIDConnectProvidersRequest.class, true, this::listOidcProviders,
                        (c, r) -> AccessTarget.anyResource(c.accountId())),
                op("DeleteOpenIDConnectProvider", OpenIDConnectProviderArnRequest.class, false, this::deleteOidcProvider,
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("AddClientIDToOpenIDConnectProvider", OpenIDConnectProviderClientIdRequest.class, false,
                        (c, r) -> changeClientIds(c, r.OpenIDConnectProviderArn(), r.ClientID(), true),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("RemoveClientIDFromOpenIDConnectProvider", OpenIDConnectProviderClientIdRequest.class, false,
                        (c, r) -> changeClientIds(c, r.OpenIDConnectProviderArn(), r.ClientID(), false),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("UpdateOpenIDConnectProviderThumbprint", UpdateOpenIDConnectProviderThumbprintRequest.class, false,
                        this::updateThumbprints, (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                op("TagOpenIDConnectProvider", TagOpenIDConnectProviderRequest.class, false,
                        (c, r) -> retagOidc(c, r.OpenIDConnectProviderArn(), t -> mergeTags(t, r.Tags())),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), requestTags(r.Tags()))),
                op("UntagOpenIDConnectProvider", UntagOpenIDConnectProviderRequest.class, false,
                        (c, r) -> retagOidc(c, r.OpenIDConnectProviderArn(), t -> removeTags(t, r.TagKeys())),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), tagKeys(r.TagKeys()))),
                op("ListOpenIDConnectProviderTags", ListOpenIDConnectProviderTagsRequest.class, true,
                        (c, r) -> listTags(read(tx -> requireOidc(tx, c.accountId(), r.OpenIDConnectProviderArn())).tags(),
                                r.Marker(), r.MaxItems()),
                        (c, r) -> target(c, r.OpenIDConnectProviderArn(), Map.of())),
                // tags of managed policies
                op("TagPolicy", TagPolicyRequest.class, false, (c, r) -> retagPolicy(c, r.PolicyArn(), t -> mergeTags(t, r.Tags())),
                        (c, r) -> new AccessTarget(r.PolicyArn(), accountOf(r.PolicyArn(), c.accountId()), null,
                                requestTags(r.Tags()))),
                op("UntagPolicy", UntagPolicyRequest.class, false,
                        (c, r) -> retagPolicy(c, r.PolicyArn(), t -> removeTags(t, r.TagKeys())),
                        (c, r) -> new AccessTarget(r.PolicyArn(), accountOf(r.PolicyArn(), c.accountId()), null,
                                tagKeys(r.TagKeys()))),
                op("ListPolicyTags", ListPolicyTagsRequest.class, true,
                        (c, r) -> listTags(read(tx -> requirePolicy(tx, r.PolicyArn())).tags(), r.Marker(), r.MaxItems()),
                        (c, r) -> policyTarget(c, r.PolicyArn())),
                // instance profiles (Terraform lists them before deleting a role; Coffer has none)
                op("ListInstanceProfilesForRole", ListInstanceProfilesForRoleRequest.class, true, (c, r) -> {
                    read(tx -> requireRole(tx, c.accountId(), r.RoleName()));
                    return new ListInstanceProfilesForRoleResponse(List.of(), false, null);
                }, (c, r) -> roleTarget(c, r.RoleName())),
                // permissions boundaries
                op("PutUserPermissionsBoundary", PutUserPermissionsBoundaryRequest.class, false,
                        (c, r) -> setUserBoundary(c, r.UserName(), r.PermissionsBoundary()),
                        (c, r) -> userTarget(c, r.UserName(), keys(Map.of(), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("DeleteUserPermissionsBoundary", UserNameRequest.class, false,
                        (c, r) -> setUserBoundary(c, r.UserName(), null), (c, r) -> userTarget(c, r.UserName(), boundaryKey(Map.of()))),
                op("PutRolePermissionsBoundary", PutRolePermissionsBoundaryRequest.class, false,
                        (c, r) -> setRoleBoundary(c, r.RoleName(), r.PermissionsBoundary()),
                        (c, r) -> roleTarget(c, r.RoleName(), keys(Map.of(), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("DeleteRolePermissionsBoundary", RoleNameRequest.class, false,
                        (c, r) -> setRoleBoundary(c, r.RoleName(), null), (c, r) -> roleTarget(c, r.RoleName(), boundaryKey(Map.of()))));
    }

    // ==== users ==================================================================================

    UserResponse createUser(CallContext ctx, CreateUserRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        return write(tx -> {
            if (tx.identities().findUser(account, req.UserName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "User with name " + req.UserName() + " already exists.");
            }
            if (req.PermissionsBoundary() != null) requireAttachablePolicy(tx, account, req.PermissionsBoundary());
            UserRow row = new UserRow(account, newId("AIDA"), req.UserName(), path, arn(account, "user", path, req.UserName()),
                    clock.millis(), req.PermissionsBoundary(), tagsJson(tags), null);
            row = withMac(row);
            tx.identities().insertUser(row);
            return new UserResponse(user(row, true));
        });
    }

    UserResponse getUser(CallContext ctx, GetUserRequest req) {
        return read(tx -> new UserResponse(user(resolveUser(tx, ctx, req.UserName()), true)));
    }

    ListUsersResponse listUsers(CallContext ctx, ListUsersRequest req) {
        List<UserRow> rows = read(tx -> tx.identities().users(ctx.accountId()));
        Page<UserRow> page = page(filterPath(rows, UserRow::path, req.PathPrefix()), r -> r.userName().toLowerCase(Locale.ROOT),
                req.Marker(), req.MaxItems());
        return new ListUsersResponse(page.items().stream().map(r -> user(r, false)).toList(), page.truncated(), page.marker());
    }

    Void updateUser(CallContext ctx, UpdateUserRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            UserRow row = requireUser(tx, account, req.UserName());
            String name = req.NewUserName() == null ? row.userName() : req.NewUserName();
            String path = req.NewPath() == null ? row.path() : req.NewPath();
            if (req.NewUserName() != null) {
                Optional<UserRow> other = tx.identities().findUser(account, name);
                if (other.isPresent() && !other.get().userId().equals(row.userId())) {
                    throw new ServiceException(ErrorCode.EntityAlreadyExists, "User with name " + name + " already exists.");
                }
            }
            UserRow updated = withMac(new UserRow(account, row.userId(), name, path, arn(account, "user", path, name),
                    row.createdAt(), row.boundaryArn(), row.tags(), null));
            tx.identities().updateUser(updated);
            for (AccessKeyRow key : tx.accessKeys().forUser(account, row.userId())) {
                AccessKeyRow renamed = new AccessKeyRow(key.accessKeyId(), key.accountId(), key.principalArn(), name,
                        key.secretSealed(), key.status(), key.createdAt(), key.lastUsedAt(), key.userId(), key.lastUsedRegion(),
                        key.lastUsedService(), null);
                tx.accessKeys().updateOwnership(renamed.withStatus(key.status(), macs.mac(renamed)));
            }
            return null;
        });
    }

    Void deleteUser(CallContext ctx, UserNameRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            UserRow row = requireUser(tx, account, req.UserName());
            if (!tx.accessKeys().forUser(account, row.userId()).isEmpty()) throw deleteConflict("must delete access keys first.");
            if (!tx.identities().inlinePolicies(account, "user", row.userId()).isEmpty()) {
                throw deleteConflict("must delete policies first.");
            }
            if (!tx.identities().attachments(account, "user", row.userId()).isEmpty()) {
                throw deleteConflict("must detach all policies first.");
            }
            if (!tx.identities().membershipsOf(account, row.userId()).isEmpty()) {
                throw deleteConflict("must remove users from group first.");
            }
            tx.identities().deleteUser(account, row.userId());
            return null;
        });
    }

    Void tagUser(CallContext ctx, TagUserRequest req) {
        return write(tx -> {
            UserRow row = requireUser(tx, ctx.accountId(), req.UserName());
            String tags = tagsJson(mergeTags(tags(row.tags()), req.Tags()));
            tx.identities().updateUser(withMac(new UserRow(row.accountId(), row.userId(), row.userName(), row.path(), row.arn(),
                    row.createdAt(), row.boundaryArn(), tags, null)));
            return null;
        });
    }

    Void untagUser(CallContext ctx, UntagUserRequest req) {
        return write(tx -> {
            UserRow row = requireUser(tx, ctx.accountId(), req.UserName());
            String tags = tagsJson(removeTags(tags(row.tags()), req.TagKeys()));
            tx.identities().updateUser(withMac(new UserRow(row.accountId(), row.userId(), row.userName(), row.path(), row.arn(),
                    row.createdAt(), row.boundaryArn(), tags, null)));
            return null;
        });
    }

    ListTagsResponse listUserTags(CallContext ctx, ListUserTagsRequest req) {
        UserRow row = read(tx -> requireUser(tx, ctx.accountId(), req.UserName()));
        Page<Tag> page = pageInOrder(tags(row.tags()), Tag::Key, req.Marker(), req.MaxItems());
        return new ListTagsResponse(page.items(), page.truncated(), page.marker());
    }

    private UserRow withMac(UserRow r) {
        return new UserRow(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(), r.createdAt(), r.boundaryArn(), r.tags(),
                macs.mac(r));
    }

    private static User user(UserRow r, boolean withTags) {
        List<Tag> tags = withTags ? tags(r.tags()) : List.of();
        return new User(r.path(), r.userName(), r.userId(), r.arn(), Instant.ofEpochMilli(r.createdAt()), null,
                boundary(r.boundaryArn()), tags.isEmpty() ? null : tags);
    }

    private static AttachedPermissionsBoundary boundary(String arn) {
        return arn == null ? null : new AttachedPermissionsBoundary("PermissionsBoundaryPolicy", arn);
    }

    /** The named user, or the caller when no name is given (IAM's rule for user-scoped calls). */
    private UserRow resolveUser(Transaction tx, CallContext ctx, String userName) throws SQLException {
        if (userName != null) return requireUser(tx, ctx.accountId(), userName);
        Principal p = ctx.principal();
        if (p.kind() != Principal.Kind.USER) {
            throw new ServiceException(ErrorCode.ValidationException, "Must specify userName when calling with non-User credentials");
        }
        String name = p.arn().substring(p.arn().lastIndexOf('/') + 1);
        return requireUser(tx, p.accountId(), name);
    }

    private static UserRow requireUser(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findUser(account, name).orElseThrow(() -> noSuchEntity("The user with name " + name
                + " cannot be found."));
    }

    // ==== access keys ============================================================================

    CreateAccessKeyResponse createAccessKey(CallContext ctx, UserNameRequest req) {
        StringBuilder id = new StringBuilder("AKIA");
        for (int i = 0; i < 16; i++) id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        String accessKeyId = id.toString();
        byte[] raw = new byte[30];
        random.nextBytes(raw);
        byte[] secret = Base64.getEncoder().encode(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        try (SecretBytes secretKey = SecretBytes.wrap(secret)) {
            return write(tx -> {
                UserRow user = resolveUser(tx, ctx, req.UserName());
                if (tx.accessKeys().forUser(user.accountId(), user.userId()).size() >= MAX_ACCESS_KEYS) {
                    throw new ServiceException(ErrorCode.LimitExceeded, "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS);
                }
                byte[] sealed = keyring.sealAccessKeySecret(accessKeyId, user.accountId(), user.arn(), secretKey.bytes());
                long now = clock.millis();
                AccessKeyRow row = new AccessKeyRow(accessKeyId, user.accountId(), user.arn(), user.userName(), sealed, "Active",
                        now, null, user.userId(), null, null, null);
                tx.accessKeys().insert(row.withStatus("Active", macs.mac(row)));
                return new CreateAccessKeyResponse(new AccessKey(user.userName(), accessKeyId, "Active",
                        new String(secretKey.bytes(), StandardCharsets.US_ASCII), Instant.ofEpochMilli(now)));
            });
        }
    }

    ListAccessKeysResponse listAccessKeys(CallContext ctx, ListAccessKeysRequest req) {
        List<AccessKeyMetadata> keys = read(tx -> {
            UserRow user = resolveUser(tx, ctx, req.UserName());
            return tx.accessKeys().forUser(user.accountId(), user.userId()).stream()
                    .map(k -> new AccessKeyMetadata(user.userName(), k.accessKeyId(), k.status(), Instant.ofEpochMilli(k.createdAt())))
                    .toList();
        });
        Page<AccessKeyMetadata> page = pageInOrder(keys, AccessKeyMetadata::AccessKeyId, req.Marker(), req.MaxItems());
        return new ListAccessKeysResponse(page.items(), page.truncated(), page.marker());
    }

    Void updateAccessKey(CallContext ctx, UpdateAccessKeyRequest req) {
        return write(tx -> {
            AccessKeyRow key = requireKeyOf(tx, ctx, req.UserName(), req.AccessKeyId());
            AccessKeyRow updated = key.withStatus(req.Status(), null);
            tx.accessKeys().updateOwnership(updated.withStatus(req.Status(), macs.mac(updated)));
            return null;
        });
    }

    Void deleteAccessKey(CallContext ctx, DeleteAccessKeyRequest req) {
        return write(tx -> {
            AccessKeyRow key = requireKeyOf(tx, ctx, req.UserName(), req.AccessKeyId());
            tx.accessKeys().delete(key.accessKeyId());
            return null;
        });
    }

    private AccessKeyRow requireKeyOf(Transaction tx, CallContext ctx, String userName, String accessKeyId) throws SQLException {
        UserRow user = resolveUser(tx, ctx, userName);
        Optional<AccessKeyRow> key = tx.accessKeys().find(accessKeyId);
        if (key.isEmpty() || !user.userId().equals(key.get().userId()) || !user.accountId().equals(key.get().accountId())) {
            throw noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
        }
        return key.get();
    }

    GetAccessKeyLastUsedResponse getAccessKeyLastUsed(CallContext ctx, GetAccessKeyLastUsedRequest req) {
        return read(tx -> {
            Optional<AccessKeyRow> key = tx.accessKeys().find(req.AccessKeyId());
            if (key.isEmpty() || !key.get().accountId().equals(ctx.accountId())) {
                throw noSuchEntity("The Access Key with id " + req.AccessKeyId() + " cannot be found.");
            }
            AccessKeyRow k = key.get();
            AccessKeyLastUsed used = k.lastUsedAt() == null
                    ? new AccessKeyLastUsed(null, "N/A", "N/A")
                    : new AccessKeyLastUsed(Instant.ofEpochMilli(k.lastUsedAt()), k.lastUsedService(), k.lastUsedRegion());
            return new GetAccessKeyLastUsedResponse(k.userName(), used);
        });
    }

    private AccessTarget accessKeyTarget(CallContext ctx, GetAccessKeyLastUsedRequest req) {
        Optional<AccessKeyRow> key = read(tx -> tx.accessKeys().find(req.AccessKeyId()));
        if (key.isEmpty() || key.get().userId() == null) return AccessTarget.anyResource(ctx.accountId());
        return read(tx -> tx.identities().findUserById(key.get().accountId(), key.get().userId()))
                .map(u -> new AccessTarget(u.arn(), u.accountId(), null, Map.of()))
                .orElse(AccessTarget.anyResource(ctx.accountId()));
    }

    // ==== roles ==================================================================================

    /**
     * Organizations' CreateAccount: gives a new member account the role its management account
     * enters it by, with AdministratorAccess, trusted by the management account (as AWS does).
     * Acts as the service principal inside the new account.
     */
    public void createOrganizationAccessRole(String memberAccountId, String managementAccountId, String roleName) {
        CallContext ctx = new CallContext(dev.coffer.server.iam.Principal.service(memberAccountId), memberAccountId,
                "us-east-1", "organizations-create-account", null, null);
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + managementAccountId + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
        createRole(ctx, new CreateRoleRequest("/", roleName, trust, "Entered by the organization's management account",
                null, null, null));
        attach(ctx, "role", roleName, "arn:aws:iam::aws:policy/AdministratorAccess");
    }

    RoleResponse createRole(CallContext ctx, CreateRoleRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        parse(req.AssumeRolePolicyDocument(), PolicyKind.RESOURCE);
        int maxSession = req.MaxSessionDuration() == null ? 3600 : req.MaxSessionDuration();
        return write(tx -> {
            if (tx.identities().findRole(account, req.RoleName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Role with name " + req.RoleName() + " already exists.");
            }
            if (req.PermissionsBoundary() != null) requireAttachablePolicy(tx, account, req.PermissionsBoundary());
            RoleRow row = withMac(new RoleRow(account, newId("AROA"), req.RoleName(), path, arn(account, "role", path, req.RoleName()),
                    clock.millis(), req.AssumeRolePolicyDocument(), req.Description(), maxSession, req.PermissionsBoundary(),
                    tagsJson(tags), null, null, null));
            tx.identities().insertRole(row);
            return new RoleResponse(role(row, true, false));
        });
    }

    RoleResponse getRole(CallContext ctx, RoleNameRequest req) {
        return new RoleResponse(role(read(tx -> requireRole(tx, ctx.accountId(), req.RoleName())), true, true));
    }

    ListRolesResponse listRoles(CallContext ctx, ListRolesRequest req) {
        List<RoleRow> rows = read(tx -> tx.identities().roles(ctx.accountId()));
        Page<RoleRow> page = page(filterPath(rows, RoleRow::path, req.PathPrefix()), r -> r.roleName().toLowerCase(Locale.ROOT),
                req.Marker(), req.MaxItems());
        return new ListRolesResponse(page.items().stream().map(r -> role(r, false, false)).toList(), page.truncated(),
                page.marker());
    }

    EmptyResponse updateRole(CallContext ctx, UpdateRoleRequest req) {
        updateRoleRow(ctx, req.RoleName(), r -> new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.createdAt(), r.trustPolicy(), req.Description() == null ? r.description() : req.Description(),
                req.MaxSessionDuration() == null ? r.maxSessionDuration() : req.MaxSessionDuration(), r.boundaryArn(), r.tags(),
                r.lastUsedAt(), r.lastUsedRegion(), null));
        return new EmptyResponse();
    }

    RoleResponse updateRoleDescription(CallContext ctx, UpdateRoleDescriptionRequest req) {
        RoleRow row = updateRoleRow(ctx, req.RoleName(), r -> new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(),
                r.arn(), r.createdAt(), r.trustPolicy(), req.Description(), r.maxSessionDuration(), r.boundaryArn(), r.tags(),
                r.lastUsedAt(), r.lastUsedRegion(), null));
        return new RoleResponse(role(row, true, false));
    }

    Void updateAssumeRolePolicy(CallContext ctx, UpdateAssumeRolePolicyRequest req) {
        parse(req.PolicyDocument(), PolicyKind.RESOURCE);
        updateRoleRow(ctx, req.RoleName(), r -> new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.createdAt(), req.PolicyDocument(), r.description(), r.maxSessionDuration(), r.boundaryArn(), r.tags(),
                r.lastUsedAt(), r.lastUsedRegion(), null));
        return null;
    }

    Void tagRole(CallContext ctx, TagRoleRequest req) {
        updateRoleRow(ctx, req.RoleName(), r -> new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.createdAt(), r.trustPolicy(), r.description(), r.maxSessionDuration(), r.boundaryArn(),
                tagsJson(mergeTags(tags(r.tags()), req.Tags())), r.lastUsedAt(), r.lastUsedRegion(), null));
        return null;
    }

    Void untagRole(CallContext ctx, UntagRoleRequest req) {
        updateRoleRow(ctx, req.RoleName(), r -> new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                r.createdAt(), r.trustPolicy(), r.description(), r.maxSessionDuration(), r.boundaryArn(),
                tagsJson(removeTags(tags(r.tags()), req.TagKeys())), r.lastUsedAt(), r.lastUsedRegion(), null));
        return null;
    }

    ListTagsResponse listRoleTags(CallContext ctx, ListRoleTagsRequest req) {
        RoleRow row = read(tx -> requireRole(tx, ctx.accountId(), req.RoleName()));
        Page<Tag> page = pageInOrder(tags(row.tags()), Tag::Key, req.Marker(), req.MaxItems());
        return new ListTagsResponse(page.items(), page.truncated(), page.marker());
    }

    Void deleteRole(CallContext ctx, RoleNameRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            RoleRow row = requireRole(tx, account, req.RoleName());
            if (!tx.identities().inlinePolicies(account, "role", row.roleId()).isEmpty()) {
                throw deleteConflict("must delete policies first.");
            }
            if (!tx.identities().attachments(account, "role", row.roleId()).isEmpty()) {
                throw deleteConflict("must detach all policies first.");
            }
            tx.identities().deleteRole(account, row.roleId());
            return null;
        });
    }

    private RoleRow updateRoleRow(CallContext ctx, String roleName, Function<RoleRow, RoleRow> change) {
        return write(tx -> {
            RoleRow row = withMac(change.apply(requireRole(tx, ctx.accountId(), roleName)));
            tx.identities().updateRole(row);
            return row;
        });
    }

    private RoleRow withMac(RoleRow r) {
        return new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(), r.createdAt(), r.trustPolicy(),
                r.description(), r.maxSessionDuration(), r.boundaryArn(), r.tags(), r.lastUsedAt(), r.lastUsedRegion(), macs.mac(r));
    }

    private static Role role(RoleRow r, boolean full, boolean lastUsed) {
        List<Tag> tags = full ? tags(r.tags()) : List.of();
        RoleLastUsed used = !lastUsed ? null : r.lastUsedAt() == null ? new RoleLastUsed(null, null)
                : new RoleLastUsed(Instant.ofEpochMilli(r.lastUsedAt()), r.lastUsedRegion());
        return new Role(r.path(), r.roleName(), r.roleId(), r.arn(), Instant.ofEpochMilli(r.createdAt()),
                urlEncode(r.trustPolicy()), r.description(), r.maxSessionDuration(), full ? boundary(r.boundaryArn()) : null,
                tags.isEmpty() ? null : tags, used);
    }

    private static RoleRow requireRole(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findRole(account, name).orElseThrow(() -> noSuchEntity("The role with name " + name
                + " cannot be found."));
    }

    // ==== inline policies ========================================================================

    private record Owner(String kind, String id, String name) {}

    private Owner owner(Transaction tx, String account, String kind, String name) throws SQLException {
        return switch (kind) {
            case "user" -> {
                UserRow u = requireUser(tx, account, name);
                yield new Owner(kind, u.userId(), u.userName());
            }
            case "group" -> {
                GroupRow g = requireGroup(tx, account, name);
                yield new Owner(kind, g.groupId(), g.groupName());
            }
            default -> {
                RoleRow r = requireRole(tx, account, name);
                yield new Owner(kind, r.roleId(), r.roleName());
            }
        };
    }

    private void putInline(CallContext ctx, String kind, String ownerName, String policyName, String document) {
        parse(document, PolicyKind.IDENTITY);
        String account = ctx.accountId();
        write(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            InlinePolicyRow row = new InlinePolicyRow(account, kind, owner.id(), policyName, document, null);
            tx.identities().putInlinePolicy(new InlinePolicyRow(account, kind, owner.id(), policyName, document, macs.mac(row)));
            return null;
        });
    }

    private InlinePolicyRow getInline(CallContext ctx, String kind, String ownerName, String policyName) {
        return read(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            return tx.identities().findInlinePolicy(ctx.accountId(), kind, owner.id(), policyName)
                    .orElseThrow(() -> noSuchEntity("The " + kind + " policy with name " + policyName + " cannot be found."));
        });
    }

    private void deleteInline(CallContext ctx, String kind, String ownerName, String policyName) {
        write(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            if (!tx.identities().deleteInlinePolicy(ctx.accountId(), kind, owner.id(), policyName)) {
                throw noSuchEntity("The " + kind + " policy with name " + policyName + " cannot be found.");
            }
            return null;
        });
    }

    private ListPolicyNamesResponse listInline(CallContext ctx, String kind, String ownerName, String marker, Integer maxItems) {
        List<String> names = read(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            return tx.identities().inlinePolicies(ctx.accountId(), kind, owner.id()).stream()
                    .map(InlinePolicyRow::policyName).toList();
        });
        Page<String> page = page(names, n -> n, marker, maxItems);
        return new ListPolicyNamesResponse(page.items(), page.truncated(), page.marker());
    }

    Void putUserPolicy(CallContext ctx, PutUserPolicyRequest req) {
        putInline(ctx, "user", req.UserName(), req.PolicyName(), req.PolicyDocument());
        return null;
    }

    GetUserPolicyResponse getUserPolicy(CallContext ctx, UserPolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "user", req.UserName(), req.PolicyName());
        return new GetUserPolicyResponse(req.UserName(), row.policyName(), urlEncode(row.document()));
    }

    Void deleteUserPolicy(CallContext ctx, UserPolicyRequest req) {
        deleteInline(ctx, "user", req.UserName(), req.PolicyName());
        return null;
    }

    ListPolicyNamesResponse listUserPolicies(CallContext ctx, ListUserPoliciesRequest req) {
        return listInline(ctx, "user", req.UserName(), req.Marker(), req.MaxItems());
    }

    Void putGroupPolicy(CallContext ctx, PutGroupPolicyRequest req) {
        putInline(ctx, "group", req.GroupName(), req.PolicyName(), req.PolicyDocument());
        return null;
    }

    GetGroupPolicyResponse getGroupPolicy(CallContext ctx, GroupPolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "group", req.GroupName(), req.PolicyName());
        return new GetGroupPolicyResponse(req.GroupName(), row.policyName(), urlEncode(row.document()));
    }

    Void deleteGroupPolicy(CallContext ctx, GroupPolicyRequest req) {
        deleteInline(ctx, "group", req.GroupName(), req.PolicyName());
        return null;
    }

    ListPolicyNamesResponse listGroupPolicies(CallContext ctx, ListGroupPoliciesRequest req) {
        return listInline(ctx, "group", req.GroupName(), req.Marker(), req.MaxItems());
    }

    Void putRolePolicy(CallContext ctx, PutRolePolicyRequest req) {
        putInline(ctx, "role", req.RoleName(), req.PolicyName(), req.PolicyDocument());
        return null;
    }

    GetRolePolicyResponse getRolePolicy(CallContext ctx, RolePolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "role", req.RoleName(), req.PolicyName());
        return new GetRolePolicyResponse(req.RoleName(), row.policyName(), urlEncode(row.document()));
    }

    Void deleteRolePolicy(CallContext ctx, RolePolicyRequest req) {
        deleteInline(ctx, "role", req.RoleName(), req.PolicyName());
        return null;
    }

    ListPolicyNamesResponse listRolePolicies(CallContext ctx, ListRolePoliciesRequest req) {
        return listInline(ctx, "role", req.RoleName(), req.Marker(), req.MaxItems());
    }

    // ==== managed policies =======================================================================

    PolicyResponse createPolicy(CallContext ctx, CreatePolicyRequest req) {
        parse(req.PolicyDocument(), PolicyKind.IDENTITY);
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        return write(tx -> {
            if (tx.identities().findPolicyByName(account, req.PolicyName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "A policy called " + req.PolicyName()
                        + " already exists. Duplicate names are not allowed.");
            }
            long now = clock.millis();
            PolicyRow row = withMac(new PolicyRow(account, newId("ANPA"), req.PolicyName(), path,
                    arn(account, "policy", path, req.PolicyName()), req.Description(), "v1", 2, now, now, tagsJson(tags), null));
            tx.identities().insertPolicy(row);
            insertVersion(tx, row, "v1", req.PolicyDocument(), now);
            return new PolicyResponse(policy(row, 0, 0, true));
        });
    }

    PolicyResponse getPolicy(CallContext ctx, PolicyArnRequest req) {
        String account = ctx.accountId();
        Optional<AwsManagedPolicies.Managed> aws = awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            int attached = read(tx -> tx.identities().attachmentsOf(account, req.PolicyArn()).size());
            return new PolicyResponse(awsPolicy(aws.get(), attached, boundaryUses(account, req.PolicyArn()), true));
        }
        return read(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            int attached = tx.identities().attachmentsOf(row.accountId(), row.arn()).size();
            return new PolicyResponse(policy(row, attached, boundaryUses(tx, row.accountId(), row.arn()), true));
        });
    }

    ListPoliciesResponse listPolicies(CallContext ctx, ListPoliciesRequest req) {
        String account = ctx.accountId();
        String scope = req.Scope() == null ? "All" : req.Scope();
        boolean onlyAttached = Boolean.TRUE.equals(req.OnlyAttached());
        String usage = req.PolicyUsageFilter();
        List<Policy> all = read(tx -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (AttachmentRow a : tx.identities().allAttachments(account)) counts.merge(a.policyArn(), 1, Integer::sum);
            Map<String, Integer> boundaries = new LinkedHashMap<>();
            for (UserRow u : tx.identities().users(account)) {
                if (u.boundaryArn() != null) boundaries.merge(u.boundaryArn(), 1, Integer::sum);
            }
            for (RoleRow r : tx.identities().roles(account)) {
                if (r.boundaryArn() != null) boundaries.merge(r.boundaryArn(), 1, Integer::sum);
            }
            List<Policy> out = new ArrayList<>();
            if (!"Local".equals(scope)) {
                for (AwsManagedPolicies.Managed m : awsPolicies.all()) {
                    out.add(awsPolicy(m, counts.getOrDefault(m.arn(), 0), boundaries.getOrDefault(m.arn(), 0), false));
                }
            }
            if (!"AWS".equals(scope)) {
                for (PolicyRow p : tx.identities().policies(account)) {
                    out.add(policy(p, counts.getOrDefault(p.arn(), 0), boundaries.getOrDefault(p.arn(), 0), false));
                }
            }
            return out;
        });
        String prefix = req.PathPrefix() == null ? "/" : req.PathPrefix();
        List<Policy> filtered = all.stream()
                .filter(p -> p.Path().startsWith(prefix))
                .filter(p -> (!onlyAttached && usage == null) || used(p, usage))
                .sorted(Comparator.comparing((Policy p) -> p.PolicyName().toLowerCase(Locale.ROOT)).thenComparing(Policy::Arn))
                .toList();
        Page<Policy> page = page(filtered, p -> p.PolicyName().toLowerCase(Locale.ROOT) + "\0" + p.Arn(), req.Marker(),
                req.MaxItems());
        return new ListPoliciesResponse(page.items(), page.truncated(), page.marker());
    }

    /** Whether a policy is in use the way PolicyUsageFilter asks (either way when it is not given). */
    private static boolean used(Policy p, String usage) {
        if ("PermissionsPolicy".equals(usage)) return p.AttachmentCount() > 0;
        if ("PermissionsBoundary".equals(usage)) return p.PermissionsBoundaryUsageCount() > 0;
        return p.AttachmentCount() > 0 || p.PermissionsBoundaryUsageCount() > 0;
    }

    Void deletePolicy(CallContext ctx, PolicyArnRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            if (!tx.identities().attachmentsOf(row.accountId(), row.arn()).isEmpty()) {
                throw new ServiceException(ErrorCode.DeleteConflict, "Cannot delete a policy attached to entities.");
            }
            if (tx.identities().policyVersions(row.accountId(), row.policyId()).size() > 1) {
                throw new ServiceException(ErrorCode.DeleteConflict, "This policy has more than one version. Before you delete "
                        + "a policy, you must delete the policy's versions. The default version is deleted with the policy.");
            }
            tx.identities().deletePolicy(row.accountId(), row.policyId());
            return null;
        });
    }

    PolicyVersionResponse createPolicyVersion(CallContext ctx, CreatePolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        parse(req.PolicyDocument(), PolicyKind.IDENTITY);
        boolean setDefault = Boolean.TRUE.equals(req.SetAsDefault());
        return write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            if (tx.identities().policyVersions(row.accountId(), row.policyId()).size() >= MAX_POLICY_VERSIONS) {
                throw new ServiceException(ErrorCode.LimitExceeded, "A managed policy can have up to " + MAX_POLICY_VERSIONS
                        + " versions. Before you create a new version, you must delete an existing version.");
            }
            long now = clock.millis();
            String versionId = "v" + row.nextVersion();
            insertVersion(tx, row, versionId, req.PolicyDocument(), now);
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), setDefault ? versionId : row.defaultVersion(), row.nextVersion() + 1,
                    row.createdAt(), setDefault ? now : row.updatedAt(), row.tags(), null)));
            return new PolicyVersionResponse(new PolicyVersion(null, versionId, setDefault, Instant.ofEpochMilli(now)));
        });
    }

    PolicyVersionResponse getPolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        Optional<AwsManagedPolicies.Managed> aws = awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            if (!aws.get().defaultVersion().equals(req.VersionId())) throw noSuchVersion(req.PolicyArn(), req.VersionId());
            return new PolicyVersionResponse(new PolicyVersion(urlEncode(aws.get().document()), req.VersionId(), true,
                    aws.get().updated()));
        }
        return read(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            PolicyVersionRow v = tx.identities().findPolicyVersion(row.accountId(), row.policyId(), req.VersionId())
                    .orElseThrow(() -> noSuchVersion(req.PolicyArn(), req.VersionId()));
            return new PolicyVersionResponse(new PolicyVersion(urlEncode(v.document()), v.versionId(),
                    v.versionId().equals(row.defaultVersion()), Instant.ofEpochMilli(v.createdAt())));
        });
    }

    ListPolicyVersionsResponse listPolicyVersions(CallContext ctx, ListPolicyVersionsRequest req) {
        List<PolicyVersion> versions;
        Optional<AwsManagedPolicies.Managed> aws = awsPolicies.find(req.PolicyArn());
        if (aws.isPresent()) {
            versions = List.of(new PolicyVersion(null, aws.get().defaultVersion(), true, aws.get().updated()));
        } else {
            versions = read(tx -> {
                PolicyRow row = requirePolicy(tx, req.PolicyArn());
                return tx.identities().policyVersions(row.accountId(), row.policyId()).stream()
                        .sorted(Comparator.comparingInt((PolicyVersionRow v) -> Integer.parseInt(v.versionId().substring(1))).reversed())
                        .map(v -> new PolicyVersion(null, v.versionId(), v.versionId().equals(row.defaultVersion()),
                                Instant.ofEpochMilli(v.createdAt())))
                        .toList();
            });
        }
        Page<PolicyVersion> page = pageInOrder(versions, PolicyVersion::VersionId, req.Marker(), req.MaxItems());
        return new ListPolicyVersionsResponse(page.items(), page.truncated(), page.marker());
    }

    Void deletePolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            tx.identities().findPolicyVersion(row.accountId(), row.policyId(), req.VersionId())
                    .orElseThrow(() -> noSuchVersion(req.PolicyArn(), req.VersionId()));
            if (req.VersionId().equals(row.defaultVersion())) {
                throw new ServiceException(ErrorCode.DeleteConflict, "Cannot delete the default version of a policy.");
            }
            tx.identities().deletePolicyVersion(row.accountId(), row.policyId(), req.VersionId());
            return null;
        });
    }

    Void setDefaultPolicyVersion(CallContext ctx, PolicyVersionRequest req) {
        refuseAwsManaged(req.PolicyArn());
        return write(tx -> {
            PolicyRow row = requirePolicy(tx, req.PolicyArn());
            tx.identities().findPolicyVersion(row.accountId(), row.policyId(), req.VersionId())
                    .orElseThrow(() -> noSuchVersion(req.PolicyArn(), req.VersionId()));
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), req.VersionId(), row.nextVersion(), row.createdAt(), clock.millis(),
                    row.tags(), null)));
            return null;
        });
    }

    private Void attach(CallContext ctx, String kind, String ownerName, String policyArn) {
        String account = ctx.accountId();
        return write(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            requireAttachablePolicy(tx, account, policyArn);
            List<AttachmentRow> existing = tx.identities().attachments(account, kind, owner.id());
            boolean already = existing.stream().anyMatch(a -> a.policyArn().equals(policyArn));
            if (!already && existing.size() >= MAX_ATTACHED) {
                String quota = switch (kind) {
                    case "user" -> "PoliciesPerUser";
                    case "group" -> "PoliciesPerGroup";
                    default -> "PoliciesPerRole";
                };
                throw new ServiceException(ErrorCode.LimitExceeded, "Cannot exceed quota for " + quota + ": " + MAX_ATTACHED);
            }
            AttachmentRow row = new AttachmentRow(account, kind, owner.id(), policyArn, clock.millis(), null);
            tx.identities().attach(new AttachmentRow(account, kind, owner.id(), policyArn, row.attachedAt(), macs.mac(row)));
            return null;
        });
    }

    private Void detach(CallContext ctx, String kind, String ownerName, String policyArn) {
        String account = ctx.accountId();
        return write(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            if (!tx.identities().detach(account, kind, owner.id(), policyArn)) {
                throw noSuchEntity("Policy " + policyArn + " was not found.");
            }
            return null;
        });
    }

    private ListAttachedPoliciesResponse listAttached(CallContext ctx, String kind, String ownerName, String pathPrefix,
                                                      String marker, Integer maxItems) {
        String account = ctx.accountId();
        List<AttachedPolicy> attached = read(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            List<AttachedPolicy> out = new ArrayList<>();
            for (AttachmentRow a : tx.identities().attachments(account, kind, owner.id())) {
                String path = policyPath(a.policyArn());
                if (pathPrefix != null && !path.startsWith(pathPrefix)) continue;
                out.add(new AttachedPolicy(a.policyArn().substring(a.policyArn().lastIndexOf('/') + 1), a.policyArn()));
            }
            return out;
        });
        Page<AttachedPolicy> page = page(attached, AttachedPolicy::PolicyArn, marker, maxItems);
        return new ListAttachedPoliciesResponse(page.items(), page.truncated(), page.marker());
    }

    /** One entity a policy bears on, for ListEntitiesForPolicy: kind ("Group", "User", "Role"), name, id. */
    private record PolicyEntity(String kind, String name, String id) {}

    ListEntitiesForPolicyResponse listEntitiesForPolicy(CallContext ctx, ListEntitiesForPolicyRequest req) {
        String account = ctx.accountId();
        String filter = req.EntityFilter();
        String usage = req.PolicyUsageFilter();
        boolean permissions = usage == null || usage.equals("PermissionsPolicy");
        boolean boundaries = usage == null || usage.equals("PermissionsBoundary");
        String prefix = req.PathPrefix() == null ? "/" : req.PathPrefix();
        List<PolicyEntity> entities = read(tx -> {
            if (awsPolicies.find(req.PolicyArn()).isEmpty()) requirePolicy(tx, req.PolicyArn());
            java.util.Set<String> seen = new java.util.HashSet<>();
            List<PolicyEntity> out = new ArrayList<>();
            if (permissions) {
                for (AttachmentRow a : tx.identities().attachmentsOf(account, req.PolicyArn())) {
                    switch (a.ownerKind()) {
                        case "user" -> tx.identities().findUserById(account, a.ownerId()).filter(u -> u.path().startsWith(prefix))
                                .ifPresent(u -> out.add(new PolicyEntity("User", u.userName(), u.userId())));
                        case "group" -> tx.identities().findGroupById(account, a.ownerId()).filter(g -> g.path().startsWith(prefix))
                                .ifPresent(g -> out.add(new PolicyEntity("Group", g.groupName(), g.groupId())));
                        default -> tx.identities().findRoleById(account, a.ownerId()).filter(r -> r.path().startsWith(prefix))
                                .ifPresent(r -> out.add(new PolicyEntity("Role", r.roleName(), r.roleId())));
                    }
                }
            }
            if (boundaries) {
                for (UserRow u : tx.identities().users(account)) {
                    if (req.PolicyArn().equals(u.boundaryArn()) && u.path().startsWith(prefix)) {
                        out.add(new PolicyEntity("User", u.userName(), u.userId()));
                    }
                }
                for (RoleRow r : tx.identities().roles(account)) {
                    if (req.PolicyArn().equals(r.boundaryArn()) && r.path().startsWith(prefix)) {
                        out.add(new PolicyEntity("Role", r.roleName(), r.roleId()));
                    }
                }
            }
            return out.stream().filter(e -> seen.add(e.kind() + "/" + e.id()))
                    .filter(e -> filter == null || !List.of("User", "Group", "Role").contains(filter) || filter.equals(e.kind()))
                    .sorted(Comparator.comparing((PolicyEntity e) -> e.kind() + "/" + e.name().toLowerCase(Locale.ROOT)))
                    .toList();
        });
        Page<PolicyEntity> page = page(entities, e -> e.kind() + "/" + e.name().toLowerCase(Locale.ROOT), req.Marker(),
                req.MaxItems());
        List<PolicyGroup> groups = new ArrayList<>();
        List<PolicyUser> users = new ArrayList<>();
        List<PolicyRole> roles = new ArrayList<>();
        for (PolicyEntity e : page.items()) {
            switch (e.kind()) {
                case "User" -> users.add(new PolicyUser(e.name(), e.id()));
                case "Group" -> groups.add(new PolicyGroup(e.name(), e.id()));
                default -> roles.add(new PolicyRole(e.name(), e.id()));
            }
        }
        return new ListEntitiesForPolicyResponse(groups, users, roles, page.truncated(), page.marker());
    }

    private void insertVersion(Transaction tx, PolicyRow policy, String versionId, String document, long now) throws SQLException {
        PolicyVersionRow v = new PolicyVersionRow(policy.accountId(), policy.policyId(), versionId, document, now, null);
        tx.identities().insertPolicyVersion(new PolicyVersionRow(v.accountId(), v.policyId(), v.versionId(), v.document(),
                v.createdAt(), macs.mac(v)));
    }

    private PolicyRow withMac(PolicyRow p) {
        return new PolicyRow(p.accountId(), p.policyId(), p.policyName(), p.path(), p.arn(), p.description(), p.defaultVersion(),
                p.nextVersion(), p.createdAt(), p.updatedAt(), p.tags(), macs.mac(p));
    }

    private static Policy policy(PolicyRow p, int attachments, int boundaryUses, boolean full) {
        List<Tag> tags = full ? tags(p.tags()) : List.of();
        return new Policy(p.policyName(), p.policyId(), p.arn(), p.path(), p.defaultVersion(), attachments, boundaryUses, true,
                full ? p.description() : null, Instant.ofEpochMilli(p.createdAt()), Instant.ofEpochMilli(p.updatedAt()),
                tags.isEmpty() ? null : tags);
    }

    private static Policy awsPolicy(AwsManagedPolicies.Managed m, int attachments, int boundaryUses, boolean full) {
        return new Policy(m.name(), m.policyId(), m.arn(), m.path(), m.defaultVersion(), attachments, boundaryUses, true,
                full ? m.description() : null, m.created(), m.updated(), null);
    }

    private int boundaryUses(String account, String arn) {
        return read(tx -> boundaryUses(tx, account, arn));
    }

    private static int boundaryUses(Transaction tx, String account, String arn) throws SQLException {
        int n = 0;
        for (UserRow u : tx.identities().users(account)) if (arn.equals(u.boundaryArn())) n++;
        for (RoleRow r : tx.identities().roles(account)) if (arn.equals(r.boundaryArn())) n++;
        return n;
    }

    private static PolicyRow requirePolicy(Transaction tx, String arn) throws SQLException {
        return tx.identities().findPolicyByArn(arn).orElseThrow(() -> noSuchEntity("Policy " + arn + " was not found."));
    }

    /** A policy that may be attached (or used as a boundary) in the account: AWS managed, or customer managed there. */
    private void requireAttachablePolicy(Transaction tx, String account, String arn) throws SQLException {
        if (awsPolicies.find(arn).isPresent()) return;
        Optional<PolicyRow> row = tx.identities().findPolicyByArn(arn);
        if (row.isEmpty() || !row.get().accountId().equals(account)) {
            throw noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
        }
    }

    private void refuseAwsManaged(String arn) {
        if (AwsManagedPolicies.isAwsManaged(arn)) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "Cannot modify or delete an AWS managed policy: " + arn);
        }
    }

    private static ServiceException noSuchVersion(String arn, String versionId) {
        return noSuchEntity("Policy " + arn + " version " + versionId + " does not exist or is not attachable.");
    }

    private static String policyPath(String arn) {
        int start = arn.indexOf(":policy") + ":policy".length();
        int end = arn.lastIndexOf('/');
        return end < start ? "/" : arn.substring(start, end + 1);
    }

    // ==== groups =================================================================================

    GroupResponse createGroup(CallContext ctx, CreateGroupRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        return write(tx -> {
            if (tx.identities().findGroup(account, req.GroupName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Group with name " + req.GroupName() + " already exists.");
            }
            GroupRow row = withMac(new GroupRow(account, newId("AGPA"), req.GroupName(), path,
                    arn(account, "group", path, req.GroupName()), clock.millis(), null));
            tx.identities().insertGroup(row);
            return new GroupResponse(group(row));
        });
    }

    GetGroupResponse getGroup(CallContext ctx, GetGroupRequest req) {
        String account = ctx.accountId();
        return read(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            List<UserRow> users = new ArrayList<>();
            for (MemberRow m : tx.identities().membersOf(account, g.groupId())) {
                tx.identities().findUserById(account, m.userId()).ifPresent(users::add);
            }
            users.sort(Comparator.comparing(u -> u.userName().toLowerCase(Locale.ROOT)));
            Page<UserRow> page = page(users, u -> u.userName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
            return new GetGroupResponse(group(g), page.items().stream().map(u -> user(u, false)).toList(), page.truncated(),
                    page.marker());
        });
    }

    ListGroupsResponse listGroups(CallContext ctx, ListGroupsRequest req) {
        List<GroupRow> rows = read(tx -> tx.identities().groups(ctx.accountId()));
        Page<GroupRow> page = page(filterPath(rows, GroupRow::path, req.PathPrefix()),
                g -> g.groupName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
        return new ListGroupsResponse(page.items().stream().map(IamService::group).toList(), page.truncated(), page.marker());
    }

    Void updateGroup(CallContext ctx, UpdateGroupRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            String name = req.NewGroupName() == null ? g.groupName() : req.NewGroupName();
            String path = req.NewPath() == null ? g.path() : req.NewPath();
            Optional<GroupRow> other = tx.identities().findGroup(account, name);
            if (other.isPresent() && !other.get().groupId().equals(g.groupId())) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Group with name " + name + " already exists.");
            }
            tx.identities().updateGroup(withMac(new GroupRow(account, g.groupId(), name, path, arn(account, "group", path, name),
                    g.createdAt(), null)));
            return null;
        });
    }

    Void deleteGroup(CallContext ctx, GroupNameRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            if (!tx.identities().membersOf(account, g.groupId()).isEmpty()) throw deleteConflict("must remove users from group first.");
            if (!tx.identities().inlinePolicies(account, "group", g.groupId()).isEmpty()) {
                throw deleteConflict("must delete policies first.");
            }
            if (!tx.identities().attachments(account, "group", g.groupId()).isEmpty()) {
                throw deleteConflict("must detach all policies first.");
            }
            tx.identities().deleteGroup(account, g.groupId());
            return null;
        });
    }

    Void addUserToGroup(CallContext ctx, GroupUserRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            UserRow u = requireUser(tx, account, req.UserName());
            boolean member = tx.identities().membershipsOf(account, u.userId()).stream()
                    .anyMatch(m -> m.groupId().equals(g.groupId()));
            if (!member) {
                MemberRow m = new MemberRow(account, g.groupId(), u.userId(), null);
                tx.identities().insertMember(new MemberRow(account, g.groupId(), u.userId(), macs.mac(m)));
            }
            return null;
        });
    }

    Void removeUserFromGroup(CallContext ctx, GroupUserRequest req) {
        String account = ctx.accountId();
        return write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            UserRow u = requireUser(tx, account, req.UserName());
            if (!tx.identities().deleteMember(account, g.groupId(), u.userId())) {
                throw noSuchEntity("The user with name " + req.UserName() + " cannot be found.");
            }
            return null;
        });
    }

    ListGroupsResponse listGroupsForUser(CallContext ctx, ListGroupsForUserRequest req) {
        String account = ctx.accountId();
        List<GroupRow> groups = read(tx -> {
            UserRow u = requireUser(tx, account, req.UserName());
            List<GroupRow> out = new ArrayList<>();
            for (MemberRow m : tx.identities().membershipsOf(account, u.userId())) {
                tx.identities().findGroupById(account, m.groupId()).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(g -> g.groupName().toLowerCase(Locale.ROOT)));
            return out;
        });
        Page<GroupRow> page = page(groups, g -> g.groupName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
        return new ListGroupsResponse(page.items().stream().map(IamService::group).toList(), page.truncated(), page.marker());
    }

    private GroupRow withMac(GroupRow g) {
        return new GroupRow(g.accountId(), g.groupId(), g.groupName(), g.path(), g.arn(), g.createdAt(), macs.mac(g));
    }

    private static Group group(GroupRow g) {
        return new Group(g.path(), g.groupName(), g.groupId(), g.arn(), Instant.ofEpochMilli(g.createdAt()));
    }

    private static GroupRow requireGroup(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findGroup(account, name).orElseThrow(() -> noSuchEntity("The group with name " + name
                + " cannot be found."));
    }

    // ==== OIDC providers =========================================================================

    CreateOpenIDConnectProviderResponse createOidcProvider(CallContext ctx, CreateOpenIDConnectProviderRequest req) {
        String account = ctx.accountId();
        if (req.Url() == null || !req.Url().startsWith("https://") || req.Url().length() <= "https://".length()) {
            throw new ServiceException(ErrorCode.InvalidInput, "Invalid OpenID Connect Provider URL.");
        }
        String arn = oidcArn(account, req.Url());
        List<Tag> tags = checkTags(req.Tags());
        List<String> clientIds = distinct(req.ClientIDList());
        List<String> thumbprints = distinct(req.ThumbprintList());
        return write(tx -> {
            if (tx.identities().findOidcProvider(account, arn).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Provider with url " + req.Url() + " already exists.");
            }
            OidcProviderRow row = withMac(new OidcProviderRow(account, arn, req.Url(), json(clientIds), json(thumbprints),
                    tagsJson(tags), clock.millis(), null));
            tx.identities().insertOidcProvider(row);
            return new CreateOpenIDConnectProviderResponse(arn, tags.isEmpty() ? null : tags);
        });
    }

    GetOpenIDConnectProviderResponse getOidcProvider(CallContext ctx, OpenIDConnectProviderArnRequest req) {
        OidcProviderRow row = read(tx -> requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn()));
        List<Tag> tags = tags(row.tags());
        // IAM answers the URL without its scheme.
        return new GetOpenIDConnectProviderResponse(dev.coffer.server.sts.OidcProvider.withoutScheme(row.url()),
                strings(row.clientIds()), strings(row.thumbprints()), Instant.ofEpochMilli(row.createdAt()),
                tags.isEmpty() ? null : tags);
    }

    ListOpenIDConnectProvidersResponse listOidcProviders(CallContext ctx, ListOpenIDConnectProvidersRequest req) {
        return new ListOpenIDConnectProvidersResponse(read(tx -> tx.identities().oidcProviders(ctx.accountId())).stream()
                .map(p -> new OpenIDConnectProviderListEntry(p.arn())).toList());
    }

    Void deleteOidcProvider(CallContext ctx, OpenIDConnectProviderArnRequest req) {
        return write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn());
            tx.identities().deleteOidcProvider(row.accountId(), row.arn());
            return null;
        });
    }

    private Void changeClientIds(CallContext ctx, String arn, String clientId, boolean add) {
        return write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), arn);
            List<String> ids = new ArrayList<>(strings(row.clientIds()));
            if (add && !ids.contains(clientId)) ids.add(clientId);
            if (!add) ids.remove(clientId);
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), json(ids),
                    row.thumbprints(), row.tags(), row.createdAt(), null)));
            return null;
        });
    }

    Void updateThumbprints(CallContext ctx, UpdateOpenIDConnectProviderThumbprintRequest req) {
        return write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), req.OpenIDConnectProviderArn());
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), row.clientIds(),
                    json(distinct(req.ThumbprintList())), row.tags(), row.createdAt(), null)));
            return null;
        });
    }

    private OidcProviderRow withMac(OidcProviderRow p) {
        return new OidcProviderRow(p.accountId(), p.arn(), p.url(), p.clientIds(), p.thumbprints(), p.tags(), p.createdAt(),
                macs.mac(p));
    }

    private static OidcProviderRow requireOidc(Transaction tx, String account, String arn) throws SQLException {
        return tx.identities().findOidcProvider(account, arn).orElseThrow(() -> noSuchEntity(
                "OpenIDConnect Provider not found for arn " + arn));
    }

    static String oidcArn(String account, String url) {
        return "arn:aws:iam::" + account + ":oidc-provider/" + dev.coffer.server.sts.OidcProvider.withoutScheme(url == null ? "" : url);
    }

    private Void retagOidc(CallContext ctx, String arn, Function<List<Tag>, List<Tag>> change) {
        return write(tx -> {
            OidcProviderRow row = requireOidc(tx, ctx.accountId(), arn);
            tx.identities().updateOidcProvider(withMac(new OidcProviderRow(row.accountId(), row.arn(), row.url(), row.clientIds(),
                    row.thumbprints(), tagsJson(change.apply(tags(row.tags()))), row.createdAt(), null)));
            return null;
        });
    }

    private Void retagPolicy(CallContext ctx, String arn, Function<List<Tag>, List<Tag>> change) {
        refuseAwsManaged(arn);
        return write(tx -> {
            PolicyRow row = requirePolicy(tx, arn);
            tx.identities().updatePolicy(withMac(new PolicyRow(row.accountId(), row.policyId(), row.policyName(), row.path(),
                    row.arn(), row.description(), row.defaultVersion(), row.nextVersion(), row.createdAt(), row.updatedAt(),
                    tagsJson(change.apply(tags(row.tags()))), null)));
            return null;
        });
    }

    private static ListTagsResponse listTags(String tagsJson, String marker, Integer maxItems) {
        Page<Tag> page = pageInOrder(tags(tagsJson), Tag::Key, marker, maxItems);
        return new ListTagsResponse(page.items(), page.truncated(), page.marker());
    }

    // ==== permissions boundaries =================================================================

    private Void setUserBoundary(CallContext ctx, String userName, String boundaryArn) {
        return write(tx -> {
            UserRow u = requireUser(tx, ctx.accountId(), userName);
            if (boundaryArn != null) requireAttachablePolicy(tx, ctx.accountId(), boundaryArn);
            tx.identities().updateUser(withMac(new UserRow(u.accountId(), u.userId(), u.userName(), u.path(), u.arn(),
                    u.createdAt(), boundaryArn, u.tags(), null)));
            return null;
        });
    }

    private Void setRoleBoundary(CallContext ctx, String roleName, String boundaryArn) {
        return write(tx -> {
            RoleRow r = requireRole(tx, ctx.accountId(), roleName);
            if (boundaryArn != null) requireAttachablePolicy(tx, ctx.accountId(), boundaryArn);
            tx.identities().updateRole(withMac(new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                    r.createdAt(), r.trustPolicy(), r.description(), r.maxSessionDuration(), boundaryArn, r.tags(),
                    r.lastUsedAt(), r.lastUsedRegion(), null)));
            return null;
        });
    }

    // ==== targets for authorization ==============================================================

    private static AccessTarget target(CallContext ctx, String arn, Map<String, List<String>> keys) {
        return new AccessTarget(arn, ctx.accountId(), null, keys);
    }

    private static AccessTarget listTarget(CallContext ctx, String kind) {
        return new AccessTarget("arn:aws:iam::" + ctx.accountId() + ":" + kind + "/", ctx.accountId(), null, Map.of());
    }

    private AccessTarget userTarget(CallContext ctx, String userName) {
        return userTarget(ctx, userName, Map.of());
    }

    private AccessTarget userTarget(CallContext ctx, String userName, Map<String, List<String>> extra) {
        if (userName == null) {
            Map<String, List<String>> keys = new LinkedHashMap<>(extra);
            keys.remove(EXISTING_BOUNDARY);
            return new AccessTarget(ctx.principal().arn(), ctx.accountId(), null, keys);
        }
        Optional<UserRow> row = read(tx -> tx.identities().findUser(ctx.accountId(), userName));
        Map<String, List<String>> keys = new LinkedHashMap<>(extra);
        row.ifPresent(u -> resourceTags(keys, u.tags()));
        if (keys.remove(EXISTING_BOUNDARY) != null && row.isPresent() && row.get().boundaryArn() != null) {
            keys.putIfAbsent("iam:PermissionsBoundary", List.of(row.get().boundaryArn()));
        }
        return target(ctx, row.map(UserRow::arn).orElse(arn(ctx.accountId(), "user", "/", userName)), keys);
    }

    private AccessTarget roleTarget(CallContext ctx, String roleName) {
        return roleTarget(ctx, roleName, Map.of());
    }

    private AccessTarget roleTarget(CallContext ctx, String roleName, Map<String, List<String>> extra) {
        Optional<RoleRow> row = read(tx -> tx.identities().findRole(ctx.accountId(), roleName));
        Map<String, List<String>> keys = new LinkedHashMap<>(extra);
        row.ifPresent(r -> resourceTags(keys, r.tags()));
        if (keys.remove(EXISTING_BOUNDARY) != null && row.isPresent() && row.get().boundaryArn() != null) {
            keys.putIfAbsent("iam:PermissionsBoundary", List.of(row.get().boundaryArn()));
        }
        return target(ctx, row.map(RoleRow::arn).orElse(arn(ctx.accountId(), "role", "/", roleName)), keys);
    }

    private AccessTarget groupTarget(CallContext ctx, String groupName) {
        return groupTarget(ctx, groupName, Map.of());
    }

    private AccessTarget groupTarget(CallContext ctx, String groupName, Map<String, List<String>> extra) {
        Optional<GroupRow> row = read(tx -> tx.identities().findGroup(ctx.accountId(), groupName));
        return target(ctx, row.map(GroupRow::arn).orElse(arn(ctx.accountId(), "group", "/", groupName)), extra);
    }

    private static AccessTarget policyTarget(CallContext ctx, String policyArn) {
        String account = AwsManagedPolicies.isAwsManaged(policyArn) ? ctx.accountId() : accountOf(policyArn, ctx.accountId());
        return new AccessTarget(policyArn, account, null, Map.of());
    }

    private static void resourceTags(Map<String, List<String>> keys, String tagsJson) {
        for (Tag t : tags(tagsJson)) keys.put("aws:ResourceTag/" + t.Key(), List.of(t.Value()));
    }

    /**
     * A marker in a target's extra keys: the action is one for which IAM supplies
     * iam:PermissionsBoundary as the entity's current boundary (attaching, detaching, putting or
     * deleting its policies, deleting its boundary). Removed before the target is returned.
     */
    private static final String EXISTING_BOUNDARY = "\0existing-boundary";

    private static Map<String, List<String>> boundaryKey(Map<String, List<String>> base) {
        Map<String, List<String>> keys = new LinkedHashMap<>(base);
        keys.put(EXISTING_BOUNDARY, List.of());
        return keys;
    }

    private static Map<String, List<String>> requestTags(List<Tag> tags) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (tags == null || tags.isEmpty()) return keys;
        for (Tag t : tags) keys.put("aws:RequestTag/" + t.Key(), List.of(t.Value() == null ? "" : t.Value()));
        keys.put("aws:TagKeys", tags.stream().map(Tag::Key).toList());
        return keys;
    }

    private static Map<String, List<String>> tagKeys(List<String> keys) {
        return keys == null || keys.isEmpty() ? Map.of() : Map.of("aws:TagKeys", List.copyOf(keys));
    }

    private static Map<String, List<String>> keys(Map<String, List<String>> base, String key, String value) {
        Map<String, List<String>> keys = new LinkedHashMap<>(base);
        if (value != null) keys.put(key, List.of(value));
        return keys;
    }

    private static String accountOf(String arn, String fallback) {
        if (arn == null) return fallback;
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }

    // ==== shared helpers =========================================================================

    private <T> T read(Store.Work<T> work) {
        return store.read(work);
    }

    private <T> T write(Store.Work<T> work) {
        return store.write(work);
    }

    static String arn(String account, String kind, String path, String name) {
        return "arn:aws:iam::" + account + ":" + kind + path(path) + name;
    }

    private static String path(String path) {
        return path == null ? "/" : path;
    }

    private String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return id.toString();
    }

    static PolicyDocument parse(String json, PolicyKind kind) {
        try {
            return PolicyDocument.parse(json, kind);
        } catch (MalformedPolicyException e) {
            throw new ServiceException(ErrorCode.MalformedPolicyDocument, e.getMessage());
        }
    }

    /** IAM returns policy documents URL-encoded (RFC 3986: spaces as %20). */
    static String urlEncode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ServiceException noSuchEntity(String message) {
        return new ServiceException(ErrorCode.NoSuchEntity, message);
    }

    private static ServiceException deleteConflict(String what) {
        return new ServiceException(ErrorCode.DeleteConflict, "Cannot delete entity, " + what);
    }

    private static <T> List<T> filterPath(List<T> rows, Function<T, String> path, String prefix) {
        if (prefix == null) return rows;
        return rows.stream().filter(r -> path.apply(r).startsWith(prefix)).toList();
    }

    static List<Tag> tags(String json) {
        if (json == null || json.isEmpty()) return List.of();
        try {
            return JSON.readValue(json, TAG_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags column", e);
        }
    }

    static String tagsJson(List<Tag> tags) {
        return json(tags == null ? List.of() : tags);
    }

    static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable list column", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : values.stream().distinct().toList();
    }

    private static List<Tag> checkTags(List<Tag> tags) {
        if (tags == null) return List.of();
        for (int i = 0; i < tags.size(); i++) {
            for (int j = i + 1; j < tags.size(); j++) {
                if (tags.get(i).Key().equalsIgnoreCase(tags.get(j).Key())) {
                    throw new ServiceException(ErrorCode.InvalidInput, "Duplicate tag keys found. Please note that Tag keys "
                            + "are case insensitive.");
                }
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw new ServiceException(ErrorCode.LimitExceeded, "The number of tags has reached the maximum limit.");
        }
        return tags.stream().map(t -> new Tag(t.Key(), t.Value() == null ? "" : t.Value())).toList();
    }

    private static List<Tag> mergeTags(List<Tag> current, List<Tag> added) {
        List<Tag> merged = new ArrayList<>(current);
        for (Tag t : checkTags(added)) {
            merged.removeIf(e -> e.Key().equalsIgnoreCase(t.Key()));
            merged.add(t);
        }
        if (merged.size() > MAX_TAGS) {
            throw new ServiceException(ErrorCode.LimitExceeded, "The number of tags has reached the maximum limit.");
        }
        return merged;
    }

    private static List<Tag> removeTags(List<Tag> current, List<String> keys) {
        List<Tag> out = new ArrayList<>(current);
        if (keys != null) for (String k : keys) out.removeIf(t -> t.Key().equals(k));
        return out;
    }

    // ---- paging (Marker / MaxItems / IsTruncated) ----------------------------------------------

    record Page<T>(List<T> items, boolean truncated, String marker) {}

    /**
     * Pages a list sorted by key: the marker is the key of the last item returned, and the next page
     * starts after it even if that item has since been deleted.
     */
    static <T> Page<T> page(List<T> sorted, Function<T, String> key, String marker, Integer maxItems) {
        if (marker == null) return pageInOrder(sorted, key, null, maxItems);
        String after = decodeMarker(marker);
        int start = sorted.size();
        for (int i = 0; i < sorted.size(); i++) {
            if (key.apply(sorted.get(i)).compareTo(after) > 0) {
                start = i;
                break;
            }
        }
        return slice(sorted, key, start, maxItems);
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.InvalidInput, "Invalid Marker.");
        }
    }

    /** Pages a list in its given order; the marker names the last item returned. */
    static <T> Page<T> pageInOrder(List<T> items, Function<T, String> key, String marker, Integer maxItems) {
        int start = 0;
        if (marker != null) {
            String after = decodeMarker(marker);
            start = items.size();
            for (int i = 0; i < items.size(); i++) {
                if (key.apply(items.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        return slice(items, key, start, maxItems);
    }

    private static <T> Page<T> slice(List<T> items, Function<T, String> key, int start, Integer maxItems) {
        int max = maxItems == null ? 100 : maxItems;
        int end = Math.min(items.size(), start + max);
        List<T> slice = items.subList(start, end);
        boolean truncated = end < items.size();
        String next = truncated ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.apply(items.get(end - 1)).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(List.copyOf(slice), truncated, next);
    }
}
