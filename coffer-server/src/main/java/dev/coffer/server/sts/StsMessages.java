package dev.coffer.server.sts;

import java.time.Instant;
import java.util.List;

/**
 * The typed requests and results of the STS API. Component names are the AWS model's
 * member names letter for letter, so the Query codec binds them without a naming rule.
 * Records that carry a secret override {@code toString}.
 */
public final class StsMessages {
    private StsMessages() {}

    public record Tag(String Key, String Value) {}

    public record PolicyDescriptorType(String arn) {}

    public record Credentials(String AccessKeyId, String SecretAccessKey, String SessionToken, Instant Expiration) {
        @Override
        public String toString() {
            return "Credentials[" + AccessKeyId + ", expires " + Expiration + "]";
        }
    }

    public record AssumedRoleUser(String AssumedRoleId, String Arn) {}

    // ---- GetCallerIdentity -----------------------------------------------------------

    public record GetCallerIdentityRequest() {}

    public record GetCallerIdentityResponse(String UserId, String Account, String Arn) {}

    // ---- GetSessionToken -------------------------------------------------------------

    public record GetSessionTokenRequest(Integer DurationSeconds, String SerialNumber, String TokenCode) {}

    public record GetSessionTokenResponse(Credentials Credentials) {}

    // ---- AssumeRole ------------------------------------------------------------------

    public record AssumeRoleRequest(String RoleArn, String RoleSessionName, List<PolicyDescriptorType> PolicyArns,
                                    String Policy, Integer DurationSeconds, List<Tag> Tags, List<String> TransitiveTagKeys,
                                    String ExternalId, String SerialNumber, String TokenCode, String SourceIdentity) {}

    public record AssumeRoleResponse(Credentials Credentials, AssumedRoleUser AssumedRoleUser, Integer PackedPolicySize,
                                     String SourceIdentity) {}

    // ---- AssumeRoleWithWebIdentity ---------------------------------------------------

    public record AssumeRoleWithWebIdentityRequest(String RoleArn, String RoleSessionName, String WebIdentityToken,
                                                   String ProviderId, List<PolicyDescriptorType> PolicyArns, String Policy,
                                                   Integer DurationSeconds) {
        @Override
        public String toString() {
            return "AssumeRoleWithWebIdentityRequest[" + RoleArn + ", " + RoleSessionName + "]";
        }
    }

    public record AssumeRoleWithWebIdentityResponse(Credentials Credentials, String SubjectFromWebIdentityToken,
                                                    AssumedRoleUser AssumedRoleUser, Integer PackedPolicySize,
                                                    String Provider, String Audience, String SourceIdentity) {}
}
