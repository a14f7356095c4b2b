package dev.coffer.server.secrets;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The typed requests and results of the Secrets Manager API. Component names are the
 * AWS model's member names, letter for letter ({@code ARN}, {@code RotationLambdaARN}),
 * so the JSON codec maps them without a naming rule that could get an acronym wrong.
 * A null component is absent on the wire.
 *
 * <p>Records that carry a secret value override {@code toString} so that logging one by
 * mistake cannot print the value.
 */
public final class SecretsManagerMessages {
    private SecretsManagerMessages() {}

    private static final String REDACTED = "***";

    // ---- shared shapes -------------------------------------------------------------

    public record Tag(String Key, String Value) {}

    public record Filter(String Key, List<String> Values) {}

    public record RotationRules(Long AutomaticallyAfterDays, String Duration, String ScheduleExpression) {}

    public record ReplicaRegion(String Region, String KmsKeyId) {}

    public record ReplicationStatus(String Region, String KmsKeyId, String Status, String StatusMessage,
                                    Instant LastAccessedDate) {}

    // ---- CreateSecret ----------------------------------------------------------------

    public record CreateSecretRequest(String Name, String ClientRequestToken, String Description, String KmsKeyId,
                                      byte[] SecretBinary, String SecretString, List<Tag> Tags,
                                      List<ReplicaRegion> AddReplicaRegions, Boolean ForceOverwriteReplicaSecret) {
        @Override
        public String toString() {
            return "CreateSecretRequest[Name=" + Name + ", SecretString=" + REDACTED + "]";
        }
    }

    public record CreateSecretResponse(String ARN, String Name, String VersionId, List<ReplicationStatus> ReplicationStatus) {}

    // ---- GetSecretValue / BatchGetSecretValue ----------------------------------------

    public record GetSecretValueRequest(String SecretId, String VersionId, String VersionStage) {}

    public record GetSecretValueResponse(String ARN, String Name, String VersionId, byte[] SecretBinary,
                                         String SecretString, List<String> VersionStages, Instant CreatedDate) {
        @Override
        public String toString() {
            return "GetSecretValueResponse[ARN=" + ARN + ", VersionId=" + VersionId + ", value=" + REDACTED + "]";
        }
    }

    public record BatchGetSecretValueRequest(List<String> SecretIdList, List<Filter> Filters, Integer MaxResults,
                                             String NextToken) {}

    public record APIErrorType(String SecretId, String ErrorCode, String Message) {}

    public record BatchGetSecretValueResponse(List<GetSecretValueResponse> SecretValues, String NextToken,
                                              List<APIErrorType> Errors) {}

    // ---- PutSecretValue / UpdateSecret -------------------------------------------------

    public record PutSecretValueRequest(String SecretId, String ClientRequestToken, byte[] SecretBinary,
                                        String SecretString, List<String> VersionStages, String RotationToken) {
        @Override
        public String toString() {
            return "PutSecretValueRequest[SecretId=" + SecretId + ", value=" + REDACTED + "]";
        }
    }

    public record PutSecretValueResponse(String ARN, String Name, String VersionId, List<String> VersionStages) {}

    public record UpdateSecretRequest(String SecretId, String ClientRequestToken, String Description, String KmsKeyId,
                                      byte[] SecretBinary, String SecretString) {
        @Override
        public String toString() {
            return "UpdateSecretRequest[SecretId=" + SecretId + ", value=" + REDACTED + "]";
        }
    }

    public record UpdateSecretResponse(String ARN, String Name, String VersionId) {}

    // ---- Describe / List ---------------------------------------------------------------

    public record SecretIdRequest(String SecretId) {}

    public record DescribeSecretResponse(String ARN, String Name, String Description, String KmsKeyId,
                                         Boolean RotationEnabled, String RotationLambdaARN, RotationRules RotationRules,
                                         Instant LastRotatedDate, Instant LastChangedDate, Instant LastAccessedDate,
                                         Instant DeletedDate, Instant NextRotationDate, List<Tag> Tags,
                                         Map<String, List<String>> VersionIdsToStages, String OwningService,
                                         Instant CreatedDate, String PrimaryRegion,
                                         List<ReplicationStatus> ReplicationStatus) {}

    public record ListSecretsRequest(Boolean IncludePlannedDeletion, Integer MaxResults, String NextToken,
                                     List<Filter> Filters, String SortOrder) {}

    public record SecretListEntry(String ARN, String Name, String Description, String KmsKeyId, Boolean RotationEnabled,
                                  String RotationLambdaARN, RotationRules RotationRules, Instant LastRotatedDate,
                                  Instant LastChangedDate, Instant LastAccessedDate, Instant DeletedDate,
                                  Instant NextRotationDate, List<Tag> Tags,
                                  Map<String, List<String>> SecretVersionsToStages, String OwningService,
                                  Instant CreatedDate, String PrimaryRegion) {}

    public record ListSecretsResponse(List<SecretListEntry> SecretList, String NextToken) {}

    public record ListSecretVersionIdsRequest(String SecretId, Integer MaxResults, String NextToken,
                                              Boolean IncludeDeprecated) {}

    public record SecretVersionsListEntry(String VersionId, List<String> VersionStages, Instant LastAccessedDate,
                                          Instant CreatedDate, List<String> KmsKeyIds) {}

    public record ListSecretVersionIdsResponse(List<SecretVersionsListEntry> Versions, String NextToken, String ARN,
                                               String Name) {}

    // ---- labels, deletion, tags ----------------------------------------------------------

    public record UpdateSecretVersionStageRequest(String SecretId, String VersionStage, String RemoveFromVersionId,
                                                  String MoveToVersionId) {}

    public record ArnAndName(String ARN, String Name) {}

    public record DeleteSecretRequest(String SecretId, Long RecoveryWindowInDays, Boolean ForceDeleteWithoutRecovery) {}

    public record DeleteSecretResponse(String ARN, String Name, Instant DeletionDate) {}

    public record TagResourceRequest(String SecretId, List<Tag> Tags) {}

    public record UntagResourceRequest(String SecretId, List<String> TagKeys) {}

    public record Empty() {}

    // ---- random passwords ----------------------------------------------------------------

    public record GetRandomPasswordRequest(Long PasswordLength, String ExcludeCharacters, Boolean ExcludeNumbers,
                                           Boolean ExcludePunctuation, Boolean ExcludeUppercase,
                                           Boolean ExcludeLowercase, Boolean IncludeSpace,
                                           Boolean RequireEachIncludedType) {}

    public record GetRandomPasswordResponse(String RandomPassword) {
        @Override
        public String toString() {
            return "GetRandomPasswordResponse[" + REDACTED + "]";
        }
    }

    // ---- resource policies -----------------------------------------------------------------

    public record PutResourcePolicyRequest(String SecretId, String ResourcePolicy, Boolean BlockPublicPolicy) {}

    public record GetResourcePolicyResponse(String ARN, String Name, String ResourcePolicy) {}

    public record ValidateResourcePolicyRequest(String SecretId, String ResourcePolicy) {}

    public record ValidationErrorsEntry(String CheckName, String ErrorMessage) {}

    public record ValidateResourcePolicyResponse(Boolean PolicyValidationPassed, List<ValidationErrorsEntry> ValidationErrors) {}

    // ---- rotation ------------------------------------------------------------------------------

    public record RotateSecretRequest(String SecretId, String ClientRequestToken, String RotationLambdaARN,
                                      RotationRules RotationRules, Boolean RotateImmediately) {}

    public record RotateSecretResponse(String ARN, String Name, String VersionId) {}

    // ---- replication ------------------------------------------------------------------------------

    public record ReplicateSecretToRegionsRequest(String SecretId, List<ReplicaRegion> AddReplicaRegions,
                                                  Boolean ForceOverwriteReplicaSecret) {}

    public record RemoveRegionsFromReplicationRequest(String SecretId, List<String> RemoveReplicaRegions) {}

    public record ReplicationResponse(String ARN, List<ReplicationStatus> ReplicationStatus) {}

    public record StopReplicationToReplicaResponse(String ARN) {}
}
