package dev.coffer.server.identities;

import java.time.Instant;
import java.util.List;

/**
 * The typed requests and results of the IAM API. Component names are the AWS model's member
 * names letter for letter, so the Query codec binds them without a naming rule. Records that
 * carry a secret override {@code toString}. Operations with no output answer null.
 */
public final class IamMessages {
    private IamMessages() {}

    public record Tag(String Key, String Value) {}

    public record AttachedPermissionsBoundary(String PermissionsBoundaryType, String PermissionsBoundaryArn) {}

    public record User(String Path, String UserName, String UserId, String Arn, Instant CreateDate, Instant PasswordLastUsed,
                       AttachedPermissionsBoundary PermissionsBoundary, List<Tag> Tags) {}

    public record Group(String Path, String GroupName, String GroupId, String Arn, Instant CreateDate) {}

    public record RoleLastUsed(Instant LastUsedDate, String Region) {}

    public record Role(String Path, String RoleName, String RoleId, String Arn, Instant CreateDate,
                       String AssumeRolePolicyDocument, String Description, Integer MaxSessionDuration,
                       AttachedPermissionsBoundary PermissionsBoundary, List<Tag> Tags, RoleLastUsed RoleLastUsed) {}

    public record AccessKey(String UserName, String AccessKeyId, String Status, String SecretAccessKey, Instant CreateDate) {
        @Override
        public String toString() {
            return "AccessKey[" + UserName + ", " + AccessKeyId + ", " + Status + "]";
        }
    }

    public record AccessKeyMetadata(String UserName, String AccessKeyId, String Status, Instant CreateDate) {}

    public record AccessKeyLastUsed(Instant LastUsedDate, String ServiceName, String Region) {}

    public record Policy(String PolicyName, String PolicyId, String Arn, String Path, String DefaultVersionId,
                         Integer AttachmentCount, Integer PermissionsBoundaryUsageCount, Boolean IsAttachable,
                         String Description, Instant CreateDate, Instant UpdateDate, List<Tag> Tags) {}

    public record PolicyVersion(String Document, String VersionId, Boolean IsDefaultVersion, Instant CreateDate) {}

    public record AttachedPolicy(String PolicyName, String PolicyArn) {}

    public record PolicyGroup(String GroupName, String GroupId) {}

    public record PolicyUser(String UserName, String UserId) {}

    public record PolicyRole(String RoleName, String RoleId) {}

    public record OpenIDConnectProviderListEntry(String Arn) {}

    // ---- users -------------------------------------------------------------------------------

    public record CreateUserRequest(String Path, String UserName, String PermissionsBoundary, List<Tag> Tags) {}

    public record UserResponse(User User) {}

    public record GetUserRequest(String UserName) {}

    public record ListUsersRequest(String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListUsersResponse(List<User> Users, Boolean IsTruncated, String Marker) {}

    public record UpdateUserRequest(String UserName, String NewPath, String NewUserName) {}

    public record UserNameRequest(String UserName) {}

    public record TagUserRequest(String UserName, List<Tag> Tags) {}

    public record UntagUserRequest(String UserName, List<String> TagKeys) {}

    public record ListUserTagsRequest(String UserName, String Marker, Integer MaxItems) {}

    public record ListTagsResponse(List<Tag> Tags, Boolean IsTruncated, String Marker) {}

    // ---- access keys -------------------------------------------------------------------------

    public record CreateAccessKeyResponse(AccessKey AccessKey) {}

    public record ListAccessKeysRequest(String UserName, String Marker, Integer MaxItems) {}

    public record ListAccessKeysResponse(List<AccessKeyMetadata> AccessKeyMetadata, Boolean IsTruncated, String Marker) {}

    public record UpdateAccessKeyRequest(String UserName, String AccessKeyId, String Status) {}

    public record DeleteAccessKeyRequest(String UserName, String AccessKeyId) {}

    public record GetAccessKeyLastUsedRequest(String AccessKeyId) {}

    public record GetAccessKeyLastUsedResponse(String UserName, AccessKeyLastUsed AccessKeyLastUsed) {}

    // ---- roles -------------------------------------------------------------------------------

    public record CreateRoleRequest(String Path, String RoleName, String AssumeRolePolicyDocument, String Description,
                                    Integer MaxSessionDuration, String PermissionsBoundary, List<Tag> Tags) {}

    public record RoleResponse(Role Role) {}

    public record RoleNameRequest(String RoleName) {}

    public record ListRolesRequest(String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListRolesResponse(List<Role> Roles, Boolean IsTruncated, String Marker) {}

    public record UpdateRoleRequest(String RoleName, String Description, Integer MaxSessionDuration) {}

    public record EmptyResponse() {}

    public record UpdateRoleDescriptionRequest(String RoleName, String Description) {}

    public record UpdateAssumeRolePolicyRequest(String RoleName, String PolicyDocument) {}

    public record TagRoleRequest(String RoleName, List<Tag> Tags) {}

    public record UntagRoleRequest(String RoleName, List<String> TagKeys) {}

    public record ListRoleTagsRequest(String RoleName, String Marker, Integer MaxItems) {}

    // ---- inline policies ---------------------------------------------------------------------

    public record PutUserPolicyRequest(String UserName, String PolicyName, String PolicyDocument) {}

    public record UserPolicyRequest(String UserName, String PolicyName) {}

    public record GetUserPolicyResponse(String UserName, String PolicyName, String PolicyDocument) {}

    public record ListUserPoliciesRequest(String UserName, String Marker, Integer MaxItems) {}

    public record PutGroupPolicyRequest(String GroupName, String PolicyName, String PolicyDocument) {}

    public record GroupPolicyRequest(String GroupName, String PolicyName) {}

    public record GetGroupPolicyResponse(String GroupName, String PolicyName, String PolicyDocument) {}

    public record ListGroupPoliciesRequest(String GroupName, String Marker, Integer MaxItems) {}

    public record PutRolePolicyRequest(String RoleName, String PolicyName, String PolicyDocument) {}

    public record RolePolicyRequest(String RoleName, String PolicyName) {}

    public record GetRolePolicyResponse(String RoleName, String PolicyName, String PolicyDocument) {}

    public record ListRolePoliciesRequest(String RoleName, String Marker, Integer MaxItems) {}

    public record ListPolicyNamesResponse(List<String> PolicyNames, Boolean IsTruncated, String Marker) {}

    // ---- managed policies --------------------------------------------------------------------

    public record CreatePolicyRequest(String PolicyName, String Path, String PolicyDocument, String Description, List<Tag> Tags) {}

    public record PolicyResponse(Policy Policy) {}

    public record PolicyArnRequest(String PolicyArn) {}

    public record ListPoliciesRequest(String Scope, Boolean OnlyAttached, String PathPrefix, String PolicyUsageFilter,
                                      String Marker, Integer MaxItems) {}

    public record ListPoliciesResponse(List<Policy> Policies, Boolean IsTruncated, String Marker) {}

    public record CreatePolicyVersionRequest(String PolicyArn, String PolicyDocument, Boolean SetAsDefault) {}

    public record PolicyVersionResponse(PolicyVersion PolicyVersion) {}

    public record PolicyVersionRequest(String PolicyArn, String VersionId) {}

    public record ListPolicyVersionsRequest(String PolicyArn, String Marker, Integer MaxItems) {}

    public record ListPolicyVersionsResponse(List<PolicyVersion> Versions, Boolean IsTruncated, String Marker) {}

    public record UserPolicyArnRequest(String UserName, String PolicyArn) {}

    public record GroupPolicyArnRequest(String GroupName, String PolicyArn) {}

    public record RolePolicyArnRequest(String RoleName, String PolicyArn) {}

    public record ListAttachedUserPoliciesRequest(String UserName, String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListAttachedGroupPoliciesRequest(String GroupName, String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListAttachedRolePoliciesRequest(String RoleName, String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListAttachedPoliciesResponse(List<AttachedPolicy> AttachedPolicies, Boolean IsTruncated, String Marker) {}

    public record ListEntitiesForPolicyRequest(String PolicyArn, String EntityFilter, String PathPrefix,
                                               String PolicyUsageFilter, String Marker, Integer MaxItems) {}

    public record ListEntitiesForPolicyResponse(List<PolicyGroup> PolicyGroups, List<PolicyUser> PolicyUsers,
                                                List<PolicyRole> PolicyRoles, Boolean IsTruncated, String Marker) {}

    // ---- groups ------------------------------------------------------------------------------

    public record CreateGroupRequest(String Path, String GroupName) {}

    public record GroupResponse(Group Group) {}

    public record GetGroupRequest(String GroupName, String Marker, Integer MaxItems) {}

    public record GetGroupResponse(Group Group, List<User> Users, Boolean IsTruncated, String Marker) {}

    public record ListGroupsRequest(String PathPrefix, String Marker, Integer MaxItems) {}

    public record ListGroupsResponse(List<Group> Groups, Boolean IsTruncated, String Marker) {}

    public record UpdateGroupRequest(String GroupName, String NewPath, String NewGroupName) {}

    public record GroupNameRequest(String GroupName) {}

    public record GroupUserRequest(String GroupName, String UserName) {}

    public record ListGroupsForUserRequest(String UserName, String Marker, Integer MaxItems) {}

    // ---- OIDC providers and boundaries ----------------------------------------------------------

    public record CreateOpenIDConnectProviderRequest(String Url, List<String> ClientIDList, List<String> ThumbprintList,
                                                     List<Tag> Tags) {}

    public record CreateOpenIDConnectProviderResponse(String OpenIDConnectProviderArn, List<Tag> Tags) {}

    public record OpenIDConnectProviderArnRequest(String OpenIDConnectProviderArn) {}

    public record GetOpenIDConnectProviderResponse(String Url, List<String> ClientIDList, List<String> ThumbprintList,
                                                   Instant CreateDate, List<Tag> Tags) {}

    public record ListOpenIDConnectProvidersRequest() {}

    public record ListOpenIDConnectProvidersResponse(List<OpenIDConnectProviderListEntry> OpenIDConnectProviderList) {}

    public record OpenIDConnectProviderClientIdRequest(String OpenIDConnectProviderArn, String ClientID) {}

    public record UpdateOpenIDConnectProviderThumbprintRequest(String OpenIDConnectProviderArn, List<String> ThumbprintList) {}

    public record PutUserPermissionsBoundaryRequest(String UserName, String PermissionsBoundary) {}

    public record PutRolePermissionsBoundaryRequest(String RoleName, String PermissionsBoundary) {}

    // ---- tags of policies and OIDC providers; instance profiles ---------------------------------

    public record TagPolicyRequest(String PolicyArn, List<Tag> Tags) {}

    public record UntagPolicyRequest(String PolicyArn, List<String> TagKeys) {}

    public record ListPolicyTagsRequest(String PolicyArn, String Marker, Integer MaxItems) {}

    public record TagOpenIDConnectProviderRequest(String OpenIDConnectProviderArn, List<Tag> Tags) {}

    public record UntagOpenIDConnectProviderRequest(String OpenIDConnectProviderArn, List<String> TagKeys) {}

    public record ListOpenIDConnectProviderTagsRequest(String OpenIDConnectProviderArn, String Marker, Integer MaxItems) {}

    public record ListInstanceProfilesForRoleRequest(String RoleName, String Marker, Integer MaxItems) {}

    /** Coffer has no EC2 instance profiles: the list is always empty. */
    public record ListInstanceProfilesForRoleResponse(List<Object> InstanceProfiles, Boolean IsTruncated, String Marker) {}

    // ---- policy simulator ----------------------------------------------------------------------

    public record ContextEntry(String ContextKeyName, List<String> ContextKeyValues, String ContextKeyType) {}

    public record SimulatePrincipalPolicyRequest(String PolicySourceArn, List<String> PolicyInputList,
                                                 List<String> PermissionsBoundaryPolicyInputList, List<String> ActionNames,
                                                 List<String> ResourceArns, String ResourcePolicy, String ResourceOwner,
                                                 String CallerArn, List<ContextEntry> ContextEntries,
                                                 String ResourceHandlingOption, Integer MaxItems, String Marker) {}

    public record SimulateCustomPolicyRequest(List<String> PolicyInputList, List<String> PermissionsBoundaryPolicyInputList,
                                              List<String> ActionNames, List<String> ResourceArns, String ResourcePolicy,
                                              String ResourceOwner, String CallerArn, List<ContextEntry> ContextEntries,
                                              String ResourceHandlingOption, Integer MaxItems, String Marker) {}

    public record Statement(String SourcePolicyId, String SourcePolicyType) {}

    public record PermissionsBoundaryDecisionDetail(Boolean AllowedByPermissionsBoundary) {}

    public record ResourceSpecificResult(String EvalResourceName, String EvalResourceDecision,
                                         List<Statement> MatchedStatements, List<String> MissingContextValues,
                                         java.util.Map<String, String> EvalDecisionDetails,
                                         PermissionsBoundaryDecisionDetail PermissionsBoundaryDecisionDetail) {}

    public record EvaluationResult(String EvalActionName, String EvalResourceName, String EvalDecision,
                                   List<Statement> MatchedStatements, List<String> MissingContextValues,
                                   PermissionsBoundaryDecisionDetail PermissionsBoundaryDecisionDetail,
                                   java.util.Map<String, String> EvalDecisionDetails,
                                   List<ResourceSpecificResult> ResourceSpecificResults) {}

    public record SimulatePolicyResponse(List<EvaluationResult> EvaluationResults, Boolean IsTruncated, String Marker) {}
}
