package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.owner;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.requirePolicy;
import static dev.coffer.server.identities.IamTargets.boundaryKey;
import static dev.coffer.server.identities.IamTargets.keys;
import static dev.coffer.server.identities.IamTargets.policyTarget;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Owner;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Managed policies attached to users, groups and roles: attach, detach, list a principal's
 * attached policies, and ListEntitiesForPolicy (attachments and permissions boundaries).
 */
final class IamPolicyAttachments {
    static final int MAX_ATTACHED = 10;

    private final IamSupport iam;
    private final IamTargets targets;

    IamPolicyAttachments(IamSupport iam, IamTargets targets) {
        this.iam = iam;
        this.targets = targets;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("AttachUserPolicy", UserPolicyArnRequest.class, false,
                        (c, r) -> attach(c, "user", r.UserName(), r.PolicyArn()),
                        (c, r) -> targets.userTarget(c, r.UserName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("AttachGroupPolicy", GroupPolicyArnRequest.class, false,
                        (c, r) -> attach(c, "group", r.GroupName(), r.PolicyArn()),
                        (c, r) -> targets.groupTarget(c, r.GroupName(), keys(Map.of(), "iam:PolicyARN", r.PolicyArn()))),
                op("AttachRolePolicy", RolePolicyArnRequest.class, false,
                        (c, r) -> attach(c, "role", r.RoleName(), r.PolicyArn()),
                        (c, r) -> targets.roleTarget(c, r.RoleName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("DetachUserPolicy", UserPolicyArnRequest.class, false,
                        (c, r) -> detach(c, "user", r.UserName(), r.PolicyArn()),
                        (c, r) -> targets.userTarget(c, r.UserName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("DetachGroupPolicy", GroupPolicyArnRequest.class, false,
                        (c, r) -> detach(c, "group", r.GroupName(), r.PolicyArn()),
                        (c, r) -> targets.groupTarget(c, r.GroupName(), keys(Map.of(), "iam:PolicyARN", r.PolicyArn()))),
                op("DetachRolePolicy", RolePolicyArnRequest.class, false,
                        (c, r) -> detach(c, "role", r.RoleName(), r.PolicyArn()),
                        (c, r) -> targets.roleTarget(c, r.RoleName(), boundaryKey(keys(Map.of(), "iam:PolicyARN", r.PolicyArn())))),
                op("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "user", r.UserName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.userTarget(c, r.UserName())),
                op("ListAttachedGroupPolicies", ListAttachedGroupPoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "group", r.GroupName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("ListAttachedRolePolicies", ListAttachedRolePoliciesRequest.class, true,
                        (c, r) -> listAttached(c, "role", r.RoleName(), r.PathPrefix(), r.Marker(), r.MaxItems()),
                        (c, r) -> targets.roleTarget(c, r.RoleName())),
                op("ListEntitiesForPolicy", ListEntitiesForPolicyRequest.class, true, this::listEntitiesForPolicy,
                        (c, r) -> policyTarget(c, r.PolicyArn())));
    }

    Void attach(CallContext ctx, String kind, String ownerName, String policyArn) {
        String account = ctx.accountId();
        return iam.write(tx -> {
            Owner owner = owner(tx, account, kind, ownerName);
            iam.requireAttachablePolicy(tx, account, policyArn);
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
            AttachmentRow row = new AttachmentRow(account, kind, owner.id(), policyArn, iam.clock.millis(), null);
            tx.identities().attach(new AttachmentRow(account, kind, owner.id(), policyArn, row.attachedAt(), iam.macs.mac(row)));
            return null;
        });
    }

    private Void detach(CallContext ctx, String kind, String ownerName, String policyArn) {
        String account = ctx.accountId();
        return iam.write(tx -> {
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
        List<AttachedPolicy> attached = iam.read(tx -> {
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
        List<PolicyEntity> entities = iam.read(tx -> {
            if (iam.awsPolicies.find(req.PolicyArn()).isEmpty()) requirePolicy(tx, req.PolicyArn());
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

    private static String policyPath(String arn) {
        int start = arn.indexOf(":policy") + ":policy".length();
        int end = arn.lastIndexOf('/');
        return end < start ? "/" : arn.substring(start, end + 1);
    }
}
