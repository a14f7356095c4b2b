package dev.coffer.server.iam;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, as authentication established it. Nothing after authentication sees a
 * signature or a key: only this.
 *
 * @param accountId   the account the principal belongs to
 * @param arn         e.g. {@code arn:aws:iam::123456789012:user/coffer-admin}, or for a role
 *                    session {@code arn:aws:sts::123456789012:assumed-role/payments-api/pod-7}
 * @param userId      the unique id AWS would show (AIDA… for users, AROA…:session for role sessions)
 * @param accessKeyId the access key the request was signed with; null for internal jobs
 * @param kind        what sort of principal this is
 * @param session     for temporary credentials, what the session was issued as; null for long-term keys
 */
public record Principal(String accountId, String arn, String userId, String accessKeyId, Kind kind, Session session) {

    /**
     * USER: a long-term access key (or a GetSessionToken session of one); ASSUMED_ROLE: a role session;
     * FEDERATED: a web identity presenting its token to a trust policy (arn is the OIDC provider's ARN);
     * SERVICE: Coffer's own jobs.
     */
    public enum Kind { USER, ASSUMED_ROLE, FEDERATED, SERVICE }

    public Principal(String accountId, String arn, String userId, String accessKeyId, Kind kind) {
        this(accountId, arn, userId, accessKeyId, kind, null);
    }

    /**
     * What a set of temporary credentials was issued for. Everything here was fixed when the
     * session was created and travels sealed inside the session token, so any node can
     * authenticate it without a database read.
     *
     * @param issuerArn          the role a role session belongs to, or the user a GetSessionToken session was issued to
     * @param sessionName        RoleSessionName; null for GetSessionToken sessions
     * @param tags               session tags (principal tags for the session's lifetime)
     * @param transitiveTagKeys  tag keys that pass on to sessions this one assumes (role chaining)
     * @param sessionPolicy      the inline session policy (JSON), or null
     * @param sessionPolicyArns  managed session policies, or empty
     * @param sourceIdentity     SourceIdentity, or null
     * @param federatedProvider  the OIDC provider of a web-identity session, or null
     */
    public record Session(String issuerArn, String sessionName, Instant issuedAt, Instant expiresAt,
                          Map<String, String> tags, Set<String> transitiveTagKeys, String sessionPolicy,
                          List<String> sessionPolicyArns, String sourceIdentity, String federatedProvider) {
        public Session {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
            transitiveTagKeys = transitiveTagKeys == null ? Set.of() : Set.copyOf(transitiveTagKeys);
            sessionPolicyArns = sessionPolicyArns == null ? List.of() : List.copyOf(sessionPolicyArns);
        }

        /** True when the session narrows its issuer's permissions with session policies. */
        public boolean hasSessionPolicies() {
            return sessionPolicy != null || !sessionPolicyArns.isEmpty();
        }
    }

    /** Coffer's own jobs (purging, rotation) act as this, like AWS's service principal. */
    public static Principal service(String accountId) {
        return new Principal(accountId, "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", null, Kind.SERVICE);
    }

    /** Role sessions and GetSessionToken sessions; false for long-term access keys and the service. */
    public boolean temporary() {
        return session != null;
    }
}
