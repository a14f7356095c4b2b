package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.owner;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.parse;
import static dev.coffer.server.identities.IamSupport.urlEncode;
import static dev.coffer.server.identities.IamTargets.boundaryKey;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Owner;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.IdentityRepository.InlinePolicyRow;
import java.util.List;
import java.util.Map;

/** Inline policies of users, groups and roles: put, get, delete and list them by name. */
final class IamInlinePolicies {
    private final IamSupport iam;
    private final IamTargets targets;

    IamInlinePolicies(IamSupport iam, IamTargets targets) {
        this.iam = iam;
        this.targets = targets;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("PutUserPolicy", PutUserPolicyRequest.class, false,
                        (c, r) -> putInline(c, "user", r.UserName(), r.PolicyName(), r.PolicyDocument()),
                        (c, r) -> targets.userTarget(c, r.UserName(), boundaryKey(Map.of()))),
                op("GetUserPolicy", UserPolicyRequest.class, true, this::getUserPolicy,
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("DeleteUserPolicy", UserPolicyRequest.class, false,
                        (c, r) -> deleteInline(c, "user", r.UserName(), r.PolicyName()),
                        (c, r) -> targets.userTarget(c, r.UserName(), boundaryKey(Map.of()))),
                op("ListUserPolicies", ListUserPoliciesRequest.class, true,
                        (c, r) -> listInline(c, "user", r.UserName(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("PutGroupPolicy", PutGroupPolicyRequest.class, false,
                        (c, r) -> putInline(c, "group", r.GroupName(), r.PolicyName(), r.PolicyDocument()),
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("GetGroupPolicy", GroupPolicyRequest.class, true, this::getGroupPolicy,
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("DeleteGroupPolicy", GroupPolicyRequest.class, false,
                        (c, r) -> deleteInline(c, "group", r.GroupName(), r.PolicyName()),
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("ListGroupPolicies", ListGroupPoliciesRequest.class, true,
                        (c, r) -> listInline(c, "group", r.GroupName(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("PutRolePolicy", PutRolePolicyRequest.class, false,
                        (c, r) -> putInline(c, "role", r.RoleName(), r.PolicyName(), r.PolicyDocument()),
                        (c, r) -> targets.roleTarget(c, r.RoleName(), boundaryKey(Map.of()))),
                op("GetRolePolicy", RolePolicyRequest.class, true, this::getRolePolicy,
                        (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("DeleteRolePolicy", RolePolicyRequest.class, false,
                        (c, r) -> deleteInline(c, "role", r.RoleName(), r.PolicyName()),
                        (c, r) -> targets.roleTarget(c, r.RoleName(), boundaryKey(Map.of()))),
                op("ListRolePolicies", ListRolePoliciesRequest.class, true,
                        (c, r) -> listInline(c, "role", r.RoleName(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.roleTarget(c, r.RoleName())));
    }

    private Void putInline(CallContext ctx, String kind, String ownerName, String policyName, String document) {
        parse(document, PolicyKind.IDENTITY);
        String account = ctx.accountId();
        return iam.write(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            InlinePolicyRow row = new InlinePolicyRow(account, kind, owner.id(), policyName, document, null);
            tx.identities().putInlinePolicy(new InlinePolicyRow(account, kind, owner.id(), policyName, document, iam.macs.mac(row)));
            return null;
        });
    }

    private InlinePolicyRow getInline(CallContext ctx, String kind, String ownerName, String policyName) {
        return iam.read(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            return tx.identities().findInlinePolicy(ctx.accountId(), kind, owner.id(), policyName)
                    .orElseThrow(() -> noSuchEntity("The " + kind + " policy with name " + policyName + " cannot be found."));
        });
    }

    private Void deleteInline(CallContext ctx, String kind, String ownerName, String policyName) {
        return iam.write(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            if (!tx.identities().deleteInlinePolicy(ctx.accountId(), kind, owner.id(), policyName)) {
                throw noSuchEntity("The " + kind + " policy with name " + policyName + " cannot be found.");
            }
            return null;
        });
    }

    private ListPolicyNamesResponse listInline(CallContext ctx, String kind, String ownerName, String marker, Integer maxItems) {
        List<String> names = iam.read(tx -> {
            Owner owner = owner(tx, ctx.accountId(), kind, ownerName);
            return tx.identities().inlinePolicies(ctx.accountId(), kind, owner.id()).stream()
                    .map(InlinePolicyRow::policyName).toList();
        });
        Page<String> page = page(names, n -> n, marker, maxItems);
        return new ListPolicyNamesResponse(page.items(), page.truncated(), page.marker());
    }

    GetUserPolicyResponse getUserPolicy(CallContext ctx, UserPolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "user", req.UserName(), req.PolicyName());
        return new GetUserPolicyResponse(req.UserName(), row.policyName(), urlEncode(row.document()));
    }

    GetGroupPolicyResponse getGroupPolicy(CallContext ctx, GroupPolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "group", req.GroupName(), req.PolicyName());
        return new GetGroupPolicyResponse(req.GroupName(), row.policyName(), urlEncode(row.document()));
    }

    GetRolePolicyResponse getRolePolicy(CallContext ctx, RolePolicyRequest req) {
        InlinePolicyRow row = getInline(ctx, "role", req.RoleName(), req.PolicyName());
        return new GetRolePolicyResponse(req.RoleName(), row.policyName(), urlEncode(row.document()));
    }
}
