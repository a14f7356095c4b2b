package dev.coffer.server.identities;

import dev.coffer.server.iam.MalformedPolicyException;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.PolicyDocument;
import dev.coffer.server.iam.PolicyKind;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.Tag;
import dev.coffer.server.store.ChangeDomain;
import dev.coffer.server.store.IdentityRepository;
import dev.coffer.server.store.IdentityRepository.AttachmentRow;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.InlinePolicyRow;
import dev.coffer.server.store.IdentityRepository.MemberRow;
import dev.coffer.server.store.IdentityRepository.OidcProviderRow;
import dev.coffer.server.store.IdentityRepository.PolicyRow;
import dev.coffer.server.store.IdentityRepository.RoleRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.sts.AssumableRole;
import dev.coffer.server.sts.OidcProvider;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read side of IAM for authorization and STS: what policies bear on a principal, roles by ARN,
 * OIDC providers, and every principal there is (for who-can).
 *
 * <p>Every row read here must verify against its MAC ({@link RowMacs}); a row that does not is
 * refused — treated as absent, so an edited policy grants nothing — except a permissions boundary,
 * which, when set but unreadable, becomes a boundary that allows nothing (refusing a boundary must
 * not widen access). Compiled results are cached in memory and valid while the store's IDENTITIES
 * change counter is unchanged: a cache hit is a counter read and a map lookup.
 */
public final class IdentityDirectory {
    private static final Logger log = LoggerFactory.getLogger(IdentityDirectory.class);
    /** Matches no request (NotAction "*" excludes every action), so it allows nothing and denies nothing. */
    private static final String ALLOWS_NOTHING =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"*\",\"Resource\":\"*\"}]}";

    /**
     * The identity-side policies of a caller and its principal tags.
     *
     * @param exists        false when the user or role behind the principal no longer exists
     * @param userName      aws:username for IAM users, null otherwise
     * @param principalTags the user's or role's tags (for role sessions, session tags override the role's)
     */
    public record PrincipalPolicies(boolean exists, String userName, List<NamedPolicy> identity, NamedPolicy boundary,
                                    List<NamedPolicy> session, Map<String, String> principalTags) {}

    /** A user or role, as who-can lists it. kind is "user" or "role"; groups are the user's group names. */
    public record PrincipalEntry(String accountId, String arn, String name, String kind, List<String> groups) {}

    private final Store store;
    private final RowMacs macs;
    private final AwsManagedPolicies awsPolicies;
    private volatile Snapshot snapshot = new Snapshot(Long.MIN_VALUE);

    /** What was read at one value of the identities change counter. */
    private static final class Snapshot {
        final long counter;
        final Map<String, PrincipalPolicies> users = new ConcurrentHashMap<>();
        final Map<String, PrincipalPolicies> rolePolicies = new ConcurrentHashMap<>();
        final Map<String, Optional<AssumableRole>> roles = new ConcurrentHashMap<>();
        final Map<String, Optional<OidcProvider>> providers = new ConcurrentHashMap<>();
        final Map<String, Optional<NamedPolicy>> managed = new ConcurrentHashMap<>();
        final Map<String, NamedPolicy> sessionPolicies = new ConcurrentHashMap<>();

        Snapshot(long counter) {
            this.counter = counter;
        }
    }

    public IdentityDirectory(Store store, RowMacs macs, AwsManagedPolicies awsPolicies) {
        this.store = store;
        this.macs = macs;
        this.awsPolicies = awsPolicies;
    }

    private Snapshot current() {
        long counter = store.changeCounter(ChangeDomain.IDENTITIES);
        Snapshot s = snapshot;
        if (s.counter != counter) {
            s = new Snapshot(counter);
            snapshot = s;
        }
        return s;
    }

    public PrincipalPolicies policiesFor(Principal principal) {
        Snapshot s = current();
        return switch (principal.kind()) {
            case USER -> cached(s.users, principal.arn(), () -> loadUser(s, principal.accountId(), principal.arn()));
            case ASSUMED_ROLE -> roleSession(s, principal);
            case FEDERATED, SERVICE -> new PrincipalPolicies(true, null, List.of(), null, List.of(), Map.of());
        };
    }

    /** A group's inline and attached policies, for the policy simulator (a group is no principal); exists false when gone. */
    public PrincipalPolicies groupPolicies(String accountId, String groupArn) {
        Snapshot s = current();
        return store.read(tx -> {
            IdentityRepository ids = tx.identities();
            String name = groupArn.substring(groupArn.lastIndexOf('/') + 1);
            Optional<GroupRow> found = ids.findGroup(accountId, name).filter(g -> g.arn().equals(groupArn));
            if (found.isEmpty() || !macs.verify(found.get())) return absent();
            List<NamedPolicy> identity = new ArrayList<>();
            addOwned(s, ids, accountId, "group", found.get().groupId(), groupArn, identity);
            return new PrincipalPolicies(true, null, List.copyOf(identity), null, List.of(), Map.of());
        });
    }

    public Optional<AssumableRole> role(String roleArn) {
        if (roleArn == null) return Optional.empty();
        Snapshot s = current();
        return cached(s.roles, roleArn, () -> store.read(tx -> tx.identities().findRoleByArn(roleArn)).filter(macs::verify)
                .map(r -> new AssumableRole(r.arn(), r.roleId(), r.accountId(), r.roleName(),
                        Duration.ofSeconds(r.maxSessionDuration()), r.trustPolicy(), tagMap(r.tags()))));
    }

    public Optional<OidcProvider> oidcProvider(String accountId, String issuerUrl) {
        if (issuerUrl == null) return Optional.empty();
        Snapshot s = current();
        String wanted = OidcProvider.withoutScheme(issuerUrl);
        return cached(s.providers, accountId + "\0" + wanted, () -> {
            for (OidcProviderRow p : store.read(tx -> tx.identities().oidcProviders(accountId))) {
                if (OidcProvider.withoutScheme(p.url()).equals(wanted) && macs.verify(p)) {
                    return Optional.of(new OidcProvider(p.arn(), p.url(), IamSupport.strings(p.clientIds())));
                }
            }
            return Optional.empty();
        });
    }

    public List<PrincipalEntry> principals() {
        return store.read(tx -> {
            IdentityRepository ids = tx.identities();
            List<PrincipalEntry> out = new ArrayList<>();
            for (UserRow u : ids.allUsers()) {
                if (!macs.verify(u)) continue;
                List<String> groups = new ArrayList<>();
                for (MemberRow m : ids.membershipsOf(u.accountId(), u.userId())) {
                    if (!macs.verify(m)) continue;
                    ids.findGroupById(u.accountId(), m.groupId()).filter(macs::verify).ifPresent(g -> groups.add(g.groupName()));
                }
                out.add(new PrincipalEntry(u.accountId(), u.arn(), u.userName(), "user", List.copyOf(groups)));
            }
            for (RoleRow r : ids.allRoles()) {
                if (macs.verify(r)) out.add(new PrincipalEntry(r.accountId(), r.arn(), r.roleName(), "role", List.of()));
            }
            return out;
        });
    }

    // ---- loading -----------------------------------------------------------------------------

    private PrincipalPolicies loadUser(Snapshot s, String accountId, String userArn) {
        return store.read(tx -> {
            IdentityRepository ids = tx.identities();
            String name = userArn.substring(userArn.lastIndexOf('/') + 1);
            Optional<UserRow> found = ids.findUser(accountId, name).filter(u -> u.arn().equals(userArn));
            if (found.isEmpty() || !macs.verify(found.get())) return absent();
            UserRow u = found.get();
            List<NamedPolicy> identity = new ArrayList<>();
            addOwned(s, ids, accountId, "user", u.userId(), u.arn(), identity);
            for (MemberRow m : ids.membershipsOf(accountId, u.userId())) {
                if (!macs.verify(m)) continue;
                Optional<GroupRow> g = ids.findGroupById(accountId, m.groupId());
                if (g.isEmpty() || !macs.verify(g.get())) continue;
                addOwned(s, ids, accountId, "group", g.get().groupId(), g.get().arn(), identity);
            }
            return new PrincipalPolicies(true, u.userName(), List.copyOf(identity), boundary(s, ids, u.boundaryArn()), List.of(),
                    tagMap(u.tags()));
        });
    }

    private PrincipalPolicies roleSession(Snapshot s, Principal principal) {
        Principal.Session session = principal.session();
        String roleArn = session != null && session.issuerArn() != null ? session.issuerArn() : roleArnOf(principal.arn());
        PrincipalPolicies role = cached(s.rolePolicies, roleArn, () -> loadRole(s, roleArn));
        if (!role.exists() || session == null) return role;
        Map<String, String> tags = new LinkedHashMap<>(role.principalTags());
        for (Map.Entry<String, String> t : session.tags().entrySet()) {
            tags.keySet().removeIf(k -> k.equalsIgnoreCase(t.getKey()));
            tags.put(t.getKey(), t.getValue());
        }
        List<NamedPolicy> sessionPolicies = new ArrayList<>();
        if (session.sessionPolicy() != null) {
            String source = principal.arn() + "#session-policy";
            sessionPolicies.add(s.sessionPolicies.computeIfAbsent(principal.arn() + "\0" + session.sessionPolicy(), k -> {
                NamedPolicy compiled = compile(source, session.sessionPolicy());
                return compiled != null ? compiled : allowsNothing(source);
            }));
        }
        for (String arn : session.sessionPolicyArns()) {
            // A session policy that cannot be read narrows to nothing, rather than being dropped (which would widen).
            sessionPolicies.add(managed(s, null, arn).orElse(allowsNothing(arn)));
        }
        return new PrincipalPolicies(true, null, role.identity(), role.boundary(), List.copyOf(sessionPolicies), Map.copyOf(tags));
    }

    private PrincipalPolicies loadRole(Snapshot s, String roleArn) {
        return store.read(tx -> {
            IdentityRepository ids = tx.identities();
            Optional<RoleRow> found = ids.findRoleByArn(roleArn);
            if (found.isEmpty() || !macs.verify(found.get())) return absent();
            RoleRow r = found.get();
            List<NamedPolicy> identity = new ArrayList<>();
            addOwned(s, ids, r.accountId(), "role", r.roleId(), r.arn(), identity);
            return new PrincipalPolicies(true, null, List.copyOf(identity), boundary(s, ids, r.boundaryArn()), List.of(),
                    tagMap(r.tags()));
        });
    }

    /** The inline and attached policies of a user, group or role. */
    private void addOwned(Snapshot s, IdentityRepository ids, String accountId, String kind, String ownerId, String ownerArn,
                          List<NamedPolicy> out) throws SQLException {
        for (InlinePolicyRow p : ids.inlinePolicies(accountId, kind, ownerId)) {
            if (!macs.verify(p)) continue;
            NamedPolicy compiled = compile(ownerArn + "#inline/" + p.policyName(), p.document());
            if (compiled != null) out.add(compiled);
        }
        for (AttachmentRow a : ids.attachments(accountId, kind, ownerId)) {
            if (!macs.verify(a)) continue;
            managed(s, ids, a.policyArn()).ifPresent(out::add);
        }
    }

    private NamedPolicy boundary(Snapshot s, IdentityRepository ids, String boundaryArn) {
        if (boundaryArn == null) return null;
        return managed(s, ids, boundaryArn).orElse(allowsNothing(boundaryArn));
    }

    /** An AWS managed policy, or a customer managed one's default version, verified; empty when refused or gone. */
    private Optional<NamedPolicy> managed(Snapshot s, IdentityRepository ids, String arn) {
        Optional<NamedPolicy> hit = s.managed.get(arn);
        if (hit != null) return hit;
        Optional<AwsManagedPolicies.Managed> aws = awsPolicies.find(arn);
        Optional<NamedPolicy> loaded;
        if (aws.isPresent()) {
            loaded = Optional.of(new NamedPolicy(arn, aws.get().compiled()));
        } else {
            Store.Work<Optional<NamedPolicy>> work = tx -> loadManaged(tx.identities(), arn);
            try {
                loaded = ids != null ? loadManaged(ids, arn) : store.read(work);
            } catch (SQLException e) {
                throw new dev.coffer.server.store.StoreException("reading policy " + arn + " failed", e);
            }
        }
        s.managed.put(arn, loaded);
        return loaded;
    }

    private Optional<NamedPolicy> loadManaged(IdentityRepository ids, String arn) throws SQLException {
        Optional<PolicyRow> p = ids.findPolicyByArn(arn);
        if (p.isEmpty() || !macs.verify(p.get())) return Optional.empty();
        return ids.findPolicyVersion(p.get().accountId(), p.get().policyId(), p.get().defaultVersion())
                .filter(macs::verify)
                .map(v -> compile(arn, v.document()));
    }

    private static NamedPolicy compile(String source, String document) {
        try {
            return new NamedPolicy(source, PolicyDocument.parse(document, PolicyKind.IDENTITY));
        } catch (MalformedPolicyException e) {
            log.error("the stored policy {} no longer parses ({}); it is ignored", source, e.getMessage());
            return null;
        }
    }

    private static NamedPolicy allowsNothing(String source) {
        return new NamedPolicy(source, PolicyDocument.parse(ALLOWS_NOTHING, PolicyKind.IDENTITY));
    }

    private static PrincipalPolicies absent() {
        return new PrincipalPolicies(false, null, List.of(), null, List.of(), Map.of());
    }

    /** arn:aws:sts::ACCT:assumed-role/NAME/SESSION → arn:aws:iam::ACCT:role/NAME (paths are not in session ARNs). */
    private static String roleArnOf(String sessionArn) {
        String[] parts = sessionArn.split(":", 6);
        if (parts.length < 6) return sessionArn;
        String[] resource = parts[5].split("/");
        return "arn:aws:iam::" + parts[4] + ":role/" + (resource.length > 1 ? resource[1] : "");
    }

    private static Map<String, String> tagMap(String tagsJson) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : IamSupport.tags(tagsJson)) tags.put(t.Key(), t.Value());
        return Map.copyOf(tags);
    }

    private static <K, V> V cached(Map<K, V> cache, K key, java.util.function.Supplier<V> load) {
        V hit = cache.get(key);
        if (hit != null) return hit;
        V loaded = load.get();
        cache.put(key, loaded);
        return loaded;
    }
}
