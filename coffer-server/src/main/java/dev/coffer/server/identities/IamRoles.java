package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.arn;
import static dev.coffer.server.identities.IamSupport.boundary;
import static dev.coffer.server.identities.IamSupport.checkTags;
import static dev.coffer.server.identities.IamSupport.deleteConflict;
import static dev.coffer.server.identities.IamSupport.filterPath;
import static dev.coffer.server.identities.IamSupport.listTags;
import static dev.coffer.server.identities.IamSupport.mergeTags;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.parse;
import static dev.coffer.server.identities.IamSupport.path;
import static dev.coffer.server.identities.IamSupport.removeTags;
import static dev.coffer.server.identities.IamSupport.requireRole;
import static dev.coffer.server.identities.IamSupport.tags;
import static dev.coffer.server.identities.IamSupport.tagsJson;
import static dev.coffer.server.identities.IamSupport.urlEncode;
import static dev.coffer.server.identities.IamTargets.boundaryKey;
import static dev.coffer.server.identities.IamTargets.keys;
import static dev.coffer.server.identities.IamTargets.listTarget;
import static dev.coffer.server.identities.IamTargets.requestTags;
import static dev.coffer.server.identities.IamTargets.tagKeys;
import static dev.coffer.server.identities.IamTargets.target;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * IAM roles: the roles themselves (with their trust policies), their tags and permissions
 * boundaries, and the instance profiles Coffer does not have.
 */
final class IamRoles {
    private final IamSupport iam;
    private final IamTargets targets;

    IamRoles(IamSupport iam, IamTargets targets) {
        this.iam = iam;
        this.targets = targets;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                // roles
                op("CreateRole", CreateRoleRequest.class, false, this::createRole,
                        (c, r) -> target(c, arn(c.accountId(), "role", r.Path(), r.RoleName()),
                                keys(requestTags(r.Tags()), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("GetRole", RoleNameRequest.class, true, this::getRole, (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("ListRoles", ListRolesRequest.class, true, this::listRoles, (c, r) -> listTarget(c, "role")),
                op("UpdateRole", UpdateRoleRequest.class, false, this::updateRole, (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("UpdateRoleDescription", UpdateRoleDescriptionRequest.class, false, this::updateRoleDescription,
                        (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("UpdateAssumeRolePolicy", UpdateAssumeRolePolicyRequest.class, false, this::updateAssumeRolePolicy,
                        (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("DeleteRole", RoleNameRequest.class, false, this::deleteRole, (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("TagRole", TagRoleRequest.class, false, this::tagRole,
                        (c, r) -> targets.roleTarget(c, r.RoleName(), requestTags(r.Tags()))),
                op("UntagRole", UntagRoleRequest.class, false, this::untagRole,
                        (c, r) -> targets.roleTarget(c, r.RoleName(), tagKeys(r.TagKeys()))),
                op("ListRoleTags", ListRoleTagsRequest.class, true, this::listRoleTags,
                        (c, r) -> targets.roleTarget(c, r.RoleName())),
                // instance profiles (Terraform lists them before deleting a role; Coffer has none)
                op("ListInstanceProfilesForRole", ListInstanceProfilesForRoleRequest.class, true, (c, r) -> {
                    iam.read(tx -> requireRole(tx, c.accountId(), r.RoleName()));
                    return new ListInstanceProfilesForRoleResponse(List.of(), false, null);
                }, (c, r) -> targets.roleTarget(c, r.RoleName())),
                // permissions boundary
                op("PutRolePermissionsBoundary", PutRolePermissionsBoundaryRequest.class, false,
                        (c, r) -> setRoleBoundary(c, r.RoleName(), r.PermissionsBoundary()),
                        (c, r) -> targets.roleTarget(c, r.RoleName(),
                                keys(Map.of(), "iam:PermissionsBoundary", r.PermissionsBoundary()))),
                op("DeleteRolePermissionsBoundary", RoleNameRequest.class, false,
                        (c, r) -> setRoleBoundary(c, r.RoleName(), null),
                        (c, r) -> targets.roleTarget(c, r.RoleName(), boundaryKey(Map.of()))));
    }

    RoleResponse createRole(CallContext ctx, CreateRoleRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        List<Tag> tags = checkTags(req.Tags());
        parse(req.AssumeRolePolicyDocument(), PolicyKind.RESOURCE);
        int maxSession = req.MaxSessionDuration() == null ? 3600 : req.MaxSessionDuration();
        return iam.write(tx -> {
            if (tx.identities().findRole(account, req.RoleName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Role with name " + req.RoleName() + " already exists.");
            }
            if (req.PermissionsBoundary() != null) iam.requireAttachablePolicy(tx, account, req.PermissionsBoundary());
            RoleRow row = withMac(new RoleRow(account, iam.newId("AROA"), req.RoleName(), path,
                    arn(account, "role", path, req.RoleName()), iam.clock.millis(), req.AssumeRolePolicyDocument(),
                    req.Description(), maxSession, req.PermissionsBoundary(), tagsJson(tags), null, null, null));
            tx.identities().insertRole(row);
            return new RoleResponse(role(row, true, false));
        });
    }

    RoleResponse getRole(CallContext ctx, RoleNameRequest req) {
        return new RoleResponse(role(iam.read(tx -> requireRole(tx, ctx.accountId(), req.RoleName())), true, true));
    }

    ListRolesResponse listRoles(CallContext ctx, ListRolesRequest req) {
        List<RoleRow> rows = iam.read(tx -> tx.identities().roles(ctx.accountId()));
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
        RoleRow row = iam.read(tx -> requireRole(tx, ctx.accountId(), req.RoleName()));
        return listTags(row.tags(), req.Marker(), req.MaxItems());
    }

    Void deleteRole(CallContext ctx, RoleNameRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
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
        return iam.write(tx -> {
            RoleRow row = withMac(change.apply(requireRole(tx, ctx.accountId(), roleName)));
            tx.identities().updateRole(row);
            return row;
        });
    }

    private RoleRow withMac(RoleRow r) {
        return new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(), r.createdAt(), r.trustPolicy(),
                r.description(), r.maxSessionDuration(), r.boundaryArn(), r.tags(), r.lastUsedAt(), r.lastUsedRegion(), iam.macs.mac(r));
    }

    private static Role role(RoleRow r, boolean full, boolean lastUsed) {
        List<Tag> tags = full ? tags(r.tags()) : List.of();
        RoleLastUsed used = !lastUsed ? null : r.lastUsedAt() == null ? new RoleLastUsed(null, null)
                : new RoleLastUsed(Instant.ofEpochMilli(r.lastUsedAt()), r.lastUsedRegion());
        return new Role(r.path(), r.roleName(), r.roleId(), r.arn(), Instant.ofEpochMilli(r.createdAt()),
                urlEncode(r.trustPolicy()), r.description(), r.maxSessionDuration(), full ? boundary(r.boundaryArn()) : null,
                tags.isEmpty() ? null : tags, used);
    }

    // ==== permissions boundary ===================================================================

    private Void setRoleBoundary(CallContext ctx, String roleName, String boundaryArn) {
        return iam.write(tx -> {
            RoleRow r = requireRole(tx, ctx.accountId(), roleName);
            if (boundaryArn != null) iam.requireAttachablePolicy(tx, ctx.accountId(), boundaryArn);
            tx.identities().updateRole(withMac(new RoleRow(r.accountId(), r.roleId(), r.roleName(), r.path(), r.arn(),
                    r.createdAt(), r.trustPolicy(), r.description(), r.maxSessionDuration(), boundaryArn, r.tags(),
                    r.lastUsedAt(), r.lastUsedRegion(), null)));
            return null;
        });
    }
}
