package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.arn;
import static dev.coffer.server.identities.IamSupport.boundary;
import static dev.coffer.server.identities.IamSupport.checkTags;
import static dev.coffer.server.identities.IamSupport.deleteConflict;
import static dev.coffer.server.identities.IamSupport.filterPath;
import static dev.coffer.server.identities.IamSupport.listTags;
import static dev.coffer.server.identities.IamSupport.mergeTags;
import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.pageInOrder;
import static dev.coffer.server.identities.IamSupport.path;
import static dev.coffer.server.identities.IamSupport.removeTags;
import static dev.coffer.server.identities.IamSupport.requireUser;
import static dev.coffer.server.identities.IamSupport.tags;
import static dev.coffer.server.identities.IamSupport.tagsJson;
import static dev.coffer.server.identities.IamTargets.boundaryKey;
import static dev.coffer.server.identities.IamTargets.keys;
import static dev.coffer.server.identities.IamTargets.listTarget;
import static dev.coffer.server.identities.IamTargets.requestTags;
import static dev.coffer.server.identities.IamTargets.tagKeys;
import static dev.coffer.server.identities.IamTargets.target;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.AccessKeyRepository.AccessKeyRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Transaction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IAM users: the users themselves, their tags, access keys and permissions boundaries. A call
 * that names no user acts on the caller, as in IAM.
 */
final class IamUsers {
    static final int MAX_ACCESS_KEYS = 2;

    private final IamSupport iam;
    private final IamTargets targets;

    IamUsers(IamSupport iam, IamTargets targets) {
        this.iam = iam;
        this.targets = targets;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                // users
                op("CreateUser", CreateUserRequest.class, false, this::createUser,
                        (c, r) -> target(c, arn(c.accountId(), "user", r.Path(), r.UserName()),
                                keys(requestTags(r.Tags()), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("GetUser", GetUserRequest.class, true, this::getUser, (c, r) -> targets.userTarget(c, r.UserName())),
                op("ListUsers", ListUsersRequest.class, true, this::listUsers, (c, r) -> listTarget(c, "user")),
                op("UpdateUser", UpdateUserRequest.class, false, this::updateUser, (c, r) -> targets.userTarget(c, r.UserName())),
                op("DeleteUser", UserNameRequest.class, false, this::deleteUser, (c, r) -> targets.userTarget(c, r.UserName())),
                op("TagUser", TagUserRequest.class, false, this::tagUser,
                        (c, r) -> targets.userTarget(c, r.UserName(), requestTags(r.Tags()))),
                op("UntagUser", UntagUserRequest.class, false, this::untagUser,
                        (c, r) -> targets.userTarget(c, r.UserName(), tagKeys(r.TagKeys()))),
                op("ListUserTags", ListUserTagsRequest.class, true, this::listUserTags,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                // access keys
                op("CreateAccessKey", UserNameRequest.class, false, this::createAccessKey,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("ListAccessKeys", ListAccessKeysRequest.class, true, this::listAccessKeys,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("UpdateAccessKey", UpdateAccessKeyRequest.class, false, this::updateAccessKey,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("DeleteAccessKey", DeleteAccessKeyRequest.class, false, this::deleteAccessKey,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("GetAccessKeyLastUsed", GetAccessKeyLastUsedRequest.class, true, this::getAccessKeyLastUsed,
                        this::accessKeyTarget),
                // permissions boundary
                op("PutUserPermissionsBoundary", PutUserPermissionsBoundaryRequest.class, false,
                        (c, r) -> setUserBoundary(c, r.UserName(), r.PermissionsBoundary()),
                        (c, r) -> targets.userTarget(c, r.UserName(),
                                keys(Map.of(), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("DeleteUserPermissionsBoundary", UserNameRequest.class, false,
                        (c, r) -> setUserBoundary(c, r.UserName(), null),
                        (c, r) -> targets.userTarget(c, r.UserName(), boundaryKey(Map.of()))));
    }

    UserResponse createUser(CallContext ctx, CreateUserRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        return iam.write(tx -> {
            if (tx.identities().findUser(account, req.UserName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "User with name " + req.UserName() + " already exists.");
            }
            if (req.PermissionsBoundary() != null) iam.requireAttachablePolicy(tx, account, req.PermissionsBoundary());
            UserRow row = new UserRow(account, iam.newId("AIDA"), req.UserName(), path, arn(account, "user", path, req.UserName()),
                    iam.clock.millis(), req.PermissionsBoundary(), tagsJson(tags), null);
            row = withMac(row);
            tx.identities().insertUser(row);
            return new UserResponse(user(row, true));
        });
    }

    UserResponse getUser(CallContext ctx, GetUserRequest req) {
        return iam.read(tx -> new UserResponse(user(resolveUser(tx, ctx, req.UserName()), true)));
    }

    ListUsersResponse listUsers(CallContext ctx, ListUsersRequest req) {
        List<UserRow> rows = iam.read(tx -> tx.identities().users(ctx.accountId()));
        Page<UserRow> page = page(filterPath(rows, UserRow::path, req.PathPrefix()), r -> r.userName().toLowerCase(Locale.ROOT),
                req.Marker(), req.MaxItems());
        return new ListUsersResponse(page.items().stream().map(r -> user(r, false)).toList(), page.truncated(), page.marker());
    }

    Void updateUser(CallContext ctx, UpdateUserRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
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
                tx.accessKeys().updateOwnership(renamed.withStatus(key.status(), iam.macs.mac(renamed)));
            }
            return null;
        });
    }

    Void deleteUser(CallContext ctx, UserNameRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
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
        return iam.write(tx -> {
            UserRow row = requireUser(tx, ctx.accountId(), req.UserName());
            rewrite(tx, row, row.boundaryArn(), tagsJson(mergeTags(tags(row.tags()), req.Tags())));
            return null;
        });
    }

    Void untagUser(CallContext ctx, UntagUserRequest req) {
        return iam.write(tx -> {
            UserRow row = requireUser(tx, ctx.accountId(), req.UserName());
            rewrite(tx, row, row.boundaryArn(), tagsJson(removeTags(tags(row.tags()), req.TagKeys())));
            return null;
        });
    }

    ListTagsResponse listUserTags(CallContext ctx, ListUserTagsRequest req) {
        UserRow row = iam.read(tx -> requireUser(tx, ctx.accountId(), req.UserName()));
        return listTags(row.tags(), req.Marker(), req.MaxItems());
    }

    /** Stores the user with another boundary and tags (JSON), under a new MAC. */
    private void rewrite(Transaction tx, UserRow u, String boundaryArn, String tags) throws SQLException {
        tx.identities().updateUser(withMac(new UserRow(u.accountId(), u.userId(), u.userName(), u.path(), u.arn(),
                u.createdAt(), boundaryArn, tags, null)));
    }

    private UserRow withMac(UserRow r) {
        return new UserRow(r.accountId(), r.userId(), r.userName(), r.path(), r.arn(), r.createdAt(), r.boundaryArn(), r.tags(),
                iam.macs.mac(r));
    }

    static User user(UserRow r, boolean withTags) {
        List<Tag> tags = withTags ? tags(r.tags()) : List.of();
        return new User(r.path(), r.userName(), r.userId(), r.arn(), Instant.ofEpochMilli(r.createdAt()), null,
                boundary(r.boundaryArn()), tags.isEmpty() ? null : tags);
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

    // ==== access keys ============================================================================

    CreateAccessKeyResponse createAccessKey(CallContext ctx, UserNameRequest req) {
        String accessKeyId = iam.randomId("AKIA", 16);
        byte[] raw = new byte[30];
        iam.random.nextBytes(raw);
        byte[] secret = Base64.getEncoder().encode(raw);
        java.util.Arrays.fill(raw, (byte) 0);
        try (SecretBytes secretKey = SecretBytes.wrap(secret)) {
            return iam.write(tx -> {
                UserRow user = resolveUser(tx, ctx, req.UserName());
                if (tx.accessKeys().forUser(user.accountId(), user.userId()).size() >= MAX_ACCESS_KEYS) {
                    throw new ServiceException(ErrorCode.LimitExceeded, "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS);
                }
                byte[] sealed = iam.keyring.sealAccessKeySecret(accessKeyId, user.accountId(), user.arn(), secretKey.bytes());
                long now = iam.clock.millis();
                AccessKeyRow row = new AccessKeyRow(accessKeyId, user.accountId(), user.arn(), user.userName(), sealed, "Active",
                        now, null, user.userId(), null, null, null);
                tx.accessKeys().insert(row.withStatus("Active", iam.macs.mac(row)));
                return new CreateAccessKeyResponse(new AccessKey(user.userName(), accessKeyId, "Active",
                        new String(secretKey.bytes(), StandardCharsets.US_ASCII), Instant.ofEpochMilli(now)));
            });
        }
    }

    ListAccessKeysResponse listAccessKeys(CallContext ctx, ListAccessKeysRequest req) {
        List<AccessKeyMetadata> keys = iam.read(tx -> {
            UserRow user = resolveUser(tx, ctx, req.UserName());
            return tx.accessKeys().forUser(user.accountId(), user.userId()).stream()
                    .map(k -> new AccessKeyMetadata(user.userName(), k.accessKeyId(), k.status(), Instant.ofEpochMilli(k.createdAt())))
                    .toList();
        });
        Page<AccessKeyMetadata> page = pageInOrder(keys, AccessKeyMetadata::AccessKeyId, req.Marker(), req.MaxItems());
        return new ListAccessKeysResponse(page.items(), page.truncated(), page.marker());
    }

    Void updateAccessKey(CallContext ctx, UpdateAccessKeyRequest req) {
        return iam.write(tx -> {
            AccessKeyRow key = requireKeyOf(tx, ctx, req.UserName(), req.AccessKeyId());
            AccessKeyRow updated = key.withStatus(req.Status(), null);
            tx.accessKeys().updateOwnership(updated.withStatus(req.Status(), iam.macs.mac(updated)));
            return null;
        });
    }

    Void deleteAccessKey(CallContext ctx, DeleteAccessKeyRequest req) {
        return iam.write(tx -> {
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
        return iam.read(tx -> {
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
        Optional<AccessKeyRow> key = iam.read(tx -> tx.accessKeys().find(req.AccessKeyId()));
        if (key.isEmpty() || key.get().userId() == null) return AccessTarget.anyResource(ctx.accountId());
        return iam.read(tx -> tx.identities().findUserById(key.get().accountId(), key.get().userId()))
                .map(u -> new AccessTarget(u.arn(), u.accountId(), null, Map.of()))
                .orElse(AccessTarget.anyResource(ctx.accountId()));
    }

    // ==== permissions boundary ===================================================================

    private Void setUserBoundary(CallContext ctx, String userName, String boundaryArn) {
        return iam.write(tx -> {
            UserRow u = requireUser(tx, ctx.accountId(), userName);
            if (boundaryArn != null) iam.requireAttachablePolicy(tx, ctx.accountId(), boundaryArn);
            rewrite(tx, u, boundaryArn, u.tags());
            return null;
        });
    }
}
