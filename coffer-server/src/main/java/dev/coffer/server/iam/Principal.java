package dev.coffer.server.iam;

/**
 * Who is calling, as authentication established it. Nothing after authentication sees a
 * signature or a key: only this.
 *
 * @param accountId   the account the principal belongs to
 * @param arn         e.g. {@code arn:aws:iam::123456789012:user/coffer-admin}
 * @param userId      the unique id AWS would show (AIDA… for users)
 * @param accessKeyId the access key the request was signed with; null for internal jobs
 * @param kind        what sort of principal this is
 */
public record Principal(String accountId, String arn, String userId, String accessKeyId, Kind kind) {

    public enum Kind { USER, ASSUMED_ROLE, SERVICE }

    /** Coffer's own jobs (purging, rotation) act as this, like AWS's service principal. */
    public static Principal service(String accountId) {
        return new Principal(accountId, "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", null, Kind.SERVICE);
    }
}
