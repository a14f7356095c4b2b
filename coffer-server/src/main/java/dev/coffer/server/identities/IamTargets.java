package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.arn;
import static dev.coffer.server.identities.IamSupport.tags;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.identities.IamMessages.Tag;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource each IAM operation acts on, for the authorizer: its ARN and account, and the
 * condition keys IAM supplies with it (request and resource tags, iam:PolicyARN,
 * iam:PermissionsBoundary).
 */
final class IamTargets {
    private final IamSupport iam;

    IamTargets(IamSupport iam) {
        this.iam = iam;
    }

    static AccessTarget target(CallContext ctx, String arn, Map<String, List<String>> keys) {
        return new AccessTarget(arn, ctx.accountId(), null, keys);
    }

    static AccessTarget listTarget(CallContext ctx, String kind) {
        return new AccessTarget("arn:aws:iam::" + ctx.accountId() + ":" + kind + "/", ctx.accountId(), null, Map.of());
    }

    AccessTarget userTarget(CallContext ctx, String userName) {
        return userTarget(ctx, userName, Map.of());
    }

    AccessTarget userTarget(CallContext ctx, String userName, Map<String, List<String>> extra) {
        if (userName == null) {
            Map<String, List<String>> keys = new LinkedHashMap<>(extra);
            keys.remove(EXISTING_BOUNDARY);
            return new AccessTarget(ctx.principal().arn(), ctx.accountId(), null, keys);
        }
        Optional<UserRow> row = iam.read(tx -> tx.identities().findUser(ctx.accountId(), userName));
        return principalTarget(ctx, row.map(UserRow::arn).orElse(arn(ctx.accountId(), "user", "/", userName)),
                row.map(UserRow::tags).orElse(null), row.map(UserRow::boundaryArn).orElse(null), extra);
    }

    AccessTarget roleTarget(CallContext ctx, String roleName) {
        return roleTarget(ctx, roleName, Map.of());
    }

    AccessTarget roleTarget(CallContext ctx, String roleName, Map<String, List<String>> extra) {
        Optional<RoleRow> row = iam.read(tx -> tx.identities().findRole(ctx.accountId(), roleName));
        return principalTarget(ctx, row.map(RoleRow::arn).orElse(arn(ctx.accountId(), "role", "/", roleName)),
                row.map(RoleRow::tags).orElse(null), row.map(RoleRow::boundaryArn).orElse(null), extra);
    }

    /**
     * A user's or role's target: its tags (null when it does not exist) as aws:ResourceTag keys
     * and, where the action asks for it ({@link #EXISTING_BOUNDARY}), its current boundary as
     * iam:PermissionsBoundary.
     */
    private static AccessTarget principalTarget(CallContext ctx, String arn, String tagsJson, String boundaryArn,
                                                Map<String, List<String>> extra) {
        Map<String, List<String>> keys = new LinkedHashMap<>(extra);
        resourceTags(keys, tagsJson);
        if (keys.remove(EXISTING_BOUNDARY) != null && boundaryArn != null) {
            keys.putIfAbsent("iam:PermissionsBoundary", List.of(boundaryArn));
        }
        return target(ctx, arn, keys);
    }

    AccessTarget groupTarget(CallContext ctx, String groupName) {
        return groupTarget(ctx, groupName, Map.of());
    }

    AccessTarget groupTarget(CallContext ctx, String groupName, Map<String, List<String>> extra) {
        Optional<GroupRow> row = iam.read(tx -> tx.identities().findGroup(ctx.accountId(), groupName));
        return target(ctx, row.map(GroupRow::arn).orElse(arn(ctx.accountId(), "group", "/", groupName)), extra);
    }

    static AccessTarget policyTarget(CallContext ctx, String policyArn) {
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

    static Map<String, List<String>> boundaryKey(Map<String, List<String>> base) {
        Map<String, List<String>> keys = new LinkedHashMap<>(base);
        keys.put(EXISTING_BOUNDARY, List.of());
        return keys;
    }

    static Map<String, List<String>> requestTags(List<Tag> tags) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (tags == null || tags.isEmpty()) return keys;
        for (Tag t : tags) keys.put("aws:RequestTag/" + t.Key(), List.of(t.Value() == null ? "" : t.Value()));
        keys.put("aws:TagKeys", tags.stream().map(Tag::Key).toList());
        return keys;
    }

    static Map<String, List<String>> tagKeys(List<String> keys) {
        return keys == null || keys.isEmpty() ? Map.of() : Map.of("aws:TagKeys", List.copyOf(keys));
    }

    static Map<String, List<String>> keys(Map<String, List<String>> base, String key, String value) {
        Map<String, List<String>> keys = new LinkedHashMap<>(base);
        if (value != null) keys.put(key, List.of(value));
        return keys;
    }

    static String accountOf(String arn, String fallback) {
        if (arn == null) return fallback;
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }
}
