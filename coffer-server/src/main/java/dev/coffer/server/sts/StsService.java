package dev.coffer.server.sts;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.audit.AuditContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.auth.SessionTokens;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.sts.StsMessages.AssumeRoleRequest;
import dev.coffer.server.sts.StsMessages.AssumeRoleResponse;
import dev.coffer.server.sts.StsMessages.AssumeRoleWithWebIdentityRequest;
import dev.coffer.server.sts.StsMessages.AssumeRoleWithWebIdentityResponse;
import dev.coffer.server.sts.StsMessages.AssumedRoleUser;
import dev.coffer.server.sts.StsMessages.Credentials;
import dev.coffer.server.sts.StsMessages.GetCallerIdentityRequest;
import dev.coffer.server.sts.StsMessages.GetCallerIdentityResponse;
import dev.coffer.server.sts.StsMessages.GetSessionTokenRequest;
import dev.coffer.server.sts.StsMessages.GetSessionTokenResponse;
import dev.coffer.server.sts.StsMessages.PolicyDescriptorType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The STS API: who am I, short-lived credentials for a user, and role sessions by
 * AssumeRole (a signed caller, trust decided by the request pipeline's policy evaluator
 * with the role's trust policy as the resource policy) and AssumeRoleWithWebIdentity (an
 * unsigned call carrying an OpenID Connect token, trust decided here from the verified
 * token's claims).
 *
 * <p>Sessions are tokens sealed by the keyring ({@link SessionTokens}); nothing is stored.
 * A session's permissions are its role's policies at the time of each request, narrowed
 * by the session policies fixed at creation.
 */
public final class StsService {
    public static final String SIGNING_NAME = "sts";
    static final Duration DEFAULT_ROLE_SESSION = Duration.ofHours(1);
    static final Duration DEFAULT_USER_SESSION = Duration.ofHours(12);
    static final Duration ROLE_CHAINING_LIMIT = Duration.ofHours(1);
    /** AWS packs session policies and tags into a fixed budget; beyond it PackedPolicyTooLarge. */
    static final int PACKED_BUDGET = 2048;

    private final SessionTokens tokens;
    private final Function<String, Optional<AssumableRole>> roles;
    private final BiFunction<String, String, Optional<OidcProvider>> providers;
    private final WebIdentityVerifier webIdentity;
    private final WebIdentityTrust trust;
    private final Clock clock;

    /** Decides whether a verified web identity may assume a role: the role's trust policy, evaluated. */
    @FunctionalInterface
    public interface WebIdentityTrust {
        boolean allows(AssumableRole role, OidcProvider provider, Map<String, List<String>> conditionKeys);
    }

    /**
     * @param roles     finds a role by ARN
     * @param providers finds the OIDC provider registered for an issuer in an account
     */
    public StsService(SessionTokens tokens, Function<String, Optional<AssumableRole>> roles,
                      BiFunction<String, String, Optional<OidcProvider>> providers, WebIdentityVerifier webIdentity,
                      WebIdentityTrust trust, Clock clock) {
        this.tokens = tokens;
        this.roles = roles;
        this.providers = providers;
        this.webIdentity = webIdentity;
        this.trust = trust;
        this.clock = clock;
    }

    public List<Operation<?, ?>> operations() {
        return List.of(
                new Operation<>(SIGNING_NAME, "GetCallerIdentity", GetCallerIdentityRequest.class, true, this::getCallerIdentity)
                        .servedToAnySignedCaller(),
                new Operation<>(SIGNING_NAME, "GetSessionToken", GetSessionTokenRequest.class, true, this::getSessionToken),
                new Operation<>(SIGNING_NAME, "AssumeRole", AssumeRoleRequest.class, true, this::assumeRole)
                        .withTarget(this::roleTarget),
                new Operation<>(SIGNING_NAME, "AssumeRoleWithWebIdentity", AssumeRoleWithWebIdentityRequest.class, true,
                        this::assumeRoleWithWebIdentity).servedUnsigned());
    }

    /** AssumeRole is authorized against the role, with its trust policy as the resource policy. */
    private AccessTarget roleTarget(CallContext ctx, AssumeRoleRequest req) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        put(keys, "sts:ExternalId", req.ExternalId());
        put(keys, "sts:RoleSessionName", req.RoleSessionName());
        put(keys, "sts:SourceIdentity", req.SourceIdentity());
        if (req.Tags() != null && !req.Tags().isEmpty()) {
            for (StsMessages.Tag tag : req.Tags()) put(keys, "aws:RequestTag/" + tag.Key(), tag.Value());
            keys.put("aws:TagKeys", req.Tags().stream().map(StsMessages.Tag::Key).toList());
        }
        if (req.TransitiveTagKeys() != null) keys.put("sts:TransitiveTagKeys", req.TransitiveTagKeys());
        Optional<AssumableRole> role = req.RoleArn() == null ? Optional.empty() : roles.apply(req.RoleArn());
        String account = role.map(AssumableRole::accountId).orElseGet(() -> accountOf(req.RoleArn(), ctx.accountId()));
        // A missing role has no trust policy: only an identity policy could allow it, and the
        // handler then answers as AWS does for a role that cannot be assumed.
        return new AccessTarget(req.RoleArn(), account, role.map(AssumableRole::trustPolicy).orElse(null), keys, true);
    }

    GetCallerIdentityResponse getCallerIdentity(CallContext ctx, GetCallerIdentityRequest req) {
        Principal p = ctx.principal();
        return new GetCallerIdentityResponse(p.userId(), p.accountId(), p.arn());
    }

    GetSessionTokenResponse getSessionToken(CallContext ctx, GetSessionTokenRequest req) {
        Principal caller = ctx.principal();
        if (caller.temporary()) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "Cannot call GetSessionToken with session credentials");
        }
        Duration duration = req.DurationSeconds() == null ? DEFAULT_USER_SESSION : Duration.ofSeconds(req.DurationSeconds());
        Instant now = clock.instant();
        Principal.Session session = new Principal.Session(caller.arn(), null, now, now.plus(duration), Map.of(), null,
                null, List.of(), null, null);
        SessionTokens.Issued issued = tokens.issue(caller.accountId(), caller.arn(), caller.userId(), caller.kind(), session);
        return new GetSessionTokenResponse(credentials(issued));
    }

    AssumeRoleResponse assumeRole(CallContext ctx, AssumeRoleRequest req) {
        Principal caller = ctx.principal();
        AssumableRole role = roles.apply(req.RoleArn()).orElseThrow(() -> notAuthorized(caller.arn(), "sts:AssumeRole", req.RoleArn()));
        boolean chained = caller.kind() == Principal.Kind.ASSUMED_ROLE;
        Duration duration = duration(req.DurationSeconds(), role, chained);
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> transitive = new java.util.ArrayList<>();
        if (chained && caller.session() != null) {
            // Transitive tags pass on through role chaining and cannot be overridden by the next session.
            for (String key : caller.session().transitiveTagKeys()) {
                String value = caller.session().tags().get(key);
                if (value != null) tags.put(key, value);
                transitive.add(key);
            }
        }
        if (req.Tags() != null) {
            for (StsMessages.Tag tag : req.Tags()) {
                if (containsIgnoreCase(transitive, tag.Key())) {
                    throw new ServiceException(ErrorCode.InvalidParameterException, "One or more session tags are "
                            + "transitive tags from the calling session and cannot be overridden.");
                }
                if (containsIgnoreCase(tags.keySet(), tag.Key())) {
                    throw new ServiceException(ErrorCode.InvalidParameterException, "Duplicate tag keys found. "
                            + "Please note that Tag keys are case insensitive.");
                }
                tags.put(tag.Key(), tag.Value());
            }
        }
        if (req.TransitiveTagKeys() != null) {
            for (String key : req.TransitiveTagKeys()) {
                if (!containsIgnoreCase(tags.keySet(), key)) {
                    throw new ServiceException(ErrorCode.InvalidParameterException,
                            "The specified transitive tag key must be included in the requested tags.");
                }
                transitive.add(key);
            }
        }
        String sourceIdentity = req.SourceIdentity();
        if (chained && caller.session().sourceIdentity() != null) {
            if (sourceIdentity != null && !sourceIdentity.equals(caller.session().sourceIdentity())) {
                throw new ServiceException(ErrorCode.AccessDeniedException, "SourceIdentity cannot be changed "
                        + "once set: the calling session carries " + caller.session().sourceIdentity());
            }
            sourceIdentity = caller.session().sourceIdentity();
        }
        int packed = packedPolicySize(req.Policy(), req.PolicyArns(), tags);
        Instant now = clock.instant();
        Principal.Session session = new Principal.Session(role.arn(), req.RoleSessionName(), now, now.plus(duration), tags,
                new java.util.LinkedHashSet<>(transitive), req.Policy(), policyArns(req.PolicyArns()), sourceIdentity, null);
        return issueRoleSession(role, req.RoleSessionName(), session, packed, (issued, user) ->
                new AssumeRoleResponse(credentials(issued), user, packedOrNull(packed, req.Policy(), req.PolicyArns(), tags),
                        session.sourceIdentity()));
    }

    AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(CallContext ctx, AssumeRoleWithWebIdentityRequest req) {
        AssumableRole role = roles.apply(req.RoleArn()).orElseThrow(() -> new ServiceException(ErrorCode.AccessDeniedException,
                "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        WebIdentityVerifier.Verified verified = webIdentity.verify(req.WebIdentityToken(),
                issuer -> providers.apply(role.accountId(), issuer));
        OidcProvider provider = verified.provider();
        AuditContext.identifiedAsWebIdentity(role.accountId(), provider.conditionKeyPrefix(), verified.audience(),
                verified.subject());
        Map<String, List<String>> keys = WebIdentityClaims.conditionKeys(provider, verified);
        if (!trust.allows(role, provider, keys)) {
            throw new ServiceException(ErrorCode.AccessDeniedException, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
        Duration duration = duration(req.DurationSeconds(), role, false);
        int packed = packedPolicySize(req.Policy(), req.PolicyArns(), Map.of());
        Instant now = clock.instant();
        Principal.Session session = new Principal.Session(role.arn(), req.RoleSessionName(), now, now.plus(duration),
                Map.of(), null, req.Policy(), policyArns(req.PolicyArns()), null, provider.arn());
        return issueRoleSession(role, req.RoleSessionName(), session, packed, (issued, user) ->
                new AssumeRoleWithWebIdentityResponse(credentials(issued), verified.subject(), user,
                        packedOrNull(packed, req.Policy(), req.PolicyArns(), Map.of()), provider.conditionKeyPrefix(),
                        verified.audience(), null));
    }

    private <R> R issueRoleSession(AssumableRole role, String sessionName, Principal.Session session, int packed,
                                   BiFunction<SessionTokens.Issued, AssumedRoleUser, R> answer) {
        if (packed > 100) {
            throw new ServiceException(ErrorCode.PackedPolicyTooLarge, "Packed size of consumed session policies "
                    + "and session tags exceeds the limit (" + packed + "% of allowed size)");
        }
        String arn = "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.name() + "/" + sessionName;
        String userId = role.roleId() + ":" + sessionName;
        SessionTokens.Issued issued = tokens.issue(role.accountId(), arn, userId, Principal.Kind.ASSUMED_ROLE, session);
        return answer.apply(issued, new AssumedRoleUser(userId, arn));
    }

    private static Duration duration(Integer requested, AssumableRole role, boolean chained) {
        Duration duration = requested == null ? DEFAULT_ROLE_SESSION : Duration.ofSeconds(requested);
        if (chained && duration.compareTo(ROLE_CHAINING_LIMIT) > 0) {
            throw new ServiceException(ErrorCode.ValidationException, "The requested DurationSeconds exceeds the 1 hour "
                    + "session limit for roles assumed by role chaining.");
        }
        if (duration.compareTo(role.maxSessionDuration()) > 0) {
            throw new ServiceException(ErrorCode.ValidationException,
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        return duration;
    }

    /**
     * A percentage of the session's packing budget, as AWS reports PackedPolicySize. AWS's
     * compression is not public; this counts the compact policy text, the managed policy ARNs
     * and the tags against a fixed budget, so the figure grows the way AWS's does.
     */
    static int packedPolicySize(String policy, List<PolicyDescriptorType> arns, Map<String, String> tags) {
        int bytes = 0;
        if (policy != null) bytes += policy.replaceAll("\\s+", "").getBytes(StandardCharsets.UTF_8).length;
        if (arns != null) for (PolicyDescriptorType arn : arns) bytes += arn.arn() == null ? 0 : arn.arn().length();
        for (Map.Entry<String, String> tag : tags.entrySet()) bytes += tag.getKey().length() + tag.getValue().length() + 2;
        return (int) Math.ceil(bytes * 100.0 / PACKED_BUDGET);
    }

    /** AWS returns PackedPolicySize only when the request carried session policies or tags. */
    private static Integer packedOrNull(int packed, String policy, List<PolicyDescriptorType> arns, Map<String, String> tags) {
        boolean any = policy != null || (arns != null && !arns.isEmpty()) || !tags.isEmpty();
        return any ? packed : null;
    }

    private static List<String> policyArns(List<PolicyDescriptorType> arns) {
        return arns == null ? List.of() : arns.stream().map(PolicyDescriptorType::arn).toList();
    }

    private static Credentials credentials(SessionTokens.Issued issued) {
        try (SecretBytes secret = issued.secretAccessKey()) {
            return new Credentials(issued.principal().accessKeyId(), new String(secret.bytes(), StandardCharsets.US_ASCII),
                    issued.sessionToken(), issued.principal().session().expiresAt());
        }
    }

    static ServiceException notAuthorized(String principalArn, String action, String resource) {
        return new ServiceException(ErrorCode.AccessDeniedException, "User: " + principalArn
                + " is not authorized to perform: " + action + " on resource: " + resource);
    }

    private static boolean containsIgnoreCase(java.util.Collection<String> keys, String key) {
        for (String k : keys) if (k.equalsIgnoreCase(key)) return true;
        return false;
    }

    private static void put(Map<String, List<String>> keys, String key, String value) {
        if (value != null) keys.put(key, List.of(value));
    }

    private static String accountOf(String arn, String fallback) {
        if (arn == null) return fallback;
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }
}
