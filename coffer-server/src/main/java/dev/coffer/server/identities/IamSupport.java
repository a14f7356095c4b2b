package dev.coffer.server.identities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.MalformedPolicyException;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.identities.IamMessages.AttachedPermissionsBoundary;
import dev.coffer.server.identities.IamMessages.ListTagsResponse;
import dev.coffer.server.identities.IamMessages.Tag;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.Transaction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the IAM API's parts ({@link IamUsers}, {@link IamRoles}, …) share: the store, keys, MACs
 * and clock they work with, and IAM's own ways with ARNs, ids, tags, policy documents, paging
 * (Marker / MaxItems / IsTruncated), lookups by name and error words.
 */
final class IamSupport {
    static final int MAX_TAGS = 50;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Tag>> TAG_LIST = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    final Keyring keyring;
    final RowMacs macs;
    final AwsManagedPolicies awsPolicies;
    final Clock clock;
    final SecureRandom random;
    private final Store store;

    IamSupport(Store store, Keyring keyring, RowMacs macs, AwsManagedPolicies awsPolicies, Clock clock, SecureRandom random) {
        this.store = store;
        this.keyring = keyring;
        this.macs = macs;
        this.awsPolicies = awsPolicies;
        this.clock = clock;
        this.random = random;
    }

    static <Q, R> Operation<Q, R> op(String name, Class<Q> type, boolean readOnly, Operation.Handler<Q, R> handler,
                                     AccessTarget.Resolver<Q> target) {
        return new Operation<>(IamService.SIGNING_NAME, name, type, readOnly, handler).withTarget(target);
    }

    <T> T read(Store.Work<T> work) {
        return store.read(work);
    }

    <T> T write(Store.Work<T> work) {
        return store.write(work);
    }

    static String arn(String account, String kind, String path, String name) {
        return "arn:aws:iam::" + account + ":" + kind + path(path) + name;
    }

    static String path(String path) {
        return path == null ? "/" : path;
    }

    /** A new entity id: the prefix that names its kind (AIDA, AROA, …) and 17 random characters. */
    String newId(String prefix) {
        return randomId(prefix, 17);
    }

    /** The prefix and {@code length} random characters of IAM's id alphabet (access key ids have 16). */
    String randomId(String prefix, int length) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
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

    static ServiceException noSuchEntity(String message) {
        return new ServiceException(ErrorCode.NoSuchEntity, message);
    }

    static ServiceException deleteConflict(String what) {
        return new ServiceException(ErrorCode.DeleteConflict, "Cannot delete entity, " + what);
    }

    static <T> List<T> filterPath(List<T> rows, Function<T, String> path, String prefix) {
        if (prefix == null) return rows;
        return rows.stream().filter(r -> path.apply(r).startsWith(prefix)).toList();
    }

    /** A user's or role's PermissionsBoundary element, or null when it has none. */
    static AttachedPermissionsBoundary boundary(String arn) {
        return arn == null ? null : new AttachedPermissionsBoundary("PermissionsBoundaryPolicy", arn);
    }

    // ---- lookups by name -----------------------------------------------------------------------

    static UserRow requireUser(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findUser(account, name).orElseThrow(() -> noSuchEntity("The user with name " + name
                + " cannot be found."));
    }

    static RoleRow requireRole(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findRole(account, name).orElseThrow(() -> noSuchEntity("The role with name " + name
                + " cannot be found."));
    }

    static GroupRow requireGroup(Transaction tx, String account, String name) throws SQLException {
        return tx.identities().findGroup(account, name).orElseThrow(() -> noSuchEntity("The group with name " + name
                + " cannot be found."));
    }

    static PolicyRow requirePolicy(Transaction tx, String arn) throws SQLException {
        return tx.identities().findPolicyByArn(arn).orElseThrow(() -> noSuchEntity("Policy " + arn + " was not found."));
    }

    /** A policy that may be attached (or used as a boundary) in the account: AWS managed, or customer managed there. */
    void requireAttachablePolicy(Transaction tx, String account, String arn) throws SQLException {
        if (awsPolicies.find(arn).isPresent()) return;
        Optional<PolicyRow> row = tx.identities().findPolicyByArn(arn);
        if (row.isEmpty() || !row.get().accountId().equals(account)) {
            throw noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
        }
    }

    /** A user, group or role that inline and attached policies belong to ({@code kind}: "user", "group", "role"). */
    record Owner(String kind, String id, String name) {}

    static Owner owner(Transaction tx, String account, String kind, String name) throws SQLException {
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

    // ---- tags and JSON columns -----------------------------------------------------------------

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

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> distinct(List<String> values) {
        return values == null ? List.of() : values.stream().distinct().toList();
    }

    static List<Tag> checkTags(List<Tag> tags) {
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

    static List<Tag> mergeTags(List<Tag> current, List<Tag> added) {
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

    static List<Tag> removeTags(List<Tag> current, List<String> keys) {
        List<Tag> out = new ArrayList<>(current);
        if (keys != null) for (String k : keys) out.removeIf(t -> t.Key().equals(k));
        return out;
    }

    /** A List…Tags answer: one page of an entity's tags (a tags column), in their stored order. */
    static ListTagsResponse listTags(String tagsJson, String marker, Integer maxItems) {
        Page<Tag> page = pageInOrder(tags(tagsJson), Tag::Key, marker, maxItems);
        return new ListTagsResponse(page.items(), page.truncated(), page.marker());
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

