package dev.coffer.server.organizations;

import java.time.Instant;
import java.util.List;

/** The typed requests and results of the Organizations operations Coffer serves; names are the model's. */
public final class OrganizationsMessages {
    private OrganizationsMessages() {}

    public record Tag(String Key, String Value) {}

    public record CreateAccountRequest(String Email, String AccountName, String RoleName, String IamUserAccessToBilling,
                                       List<Tag> Tags) {
        @Override
        public String toString() {
            return "CreateAccountRequest[RoleName=" + RoleName + "]"; // Email and AccountName are sensitive in the model
        }
    }

    public record CreateAccountStatus(String Id, String AccountName, String State, Instant RequestedTimestamp,
                                      Instant CompletedTimestamp, String AccountId, String FailureReason) {}

    public record CreateAccountResponse(CreateAccountStatus CreateAccountStatus) {}

    public record DescribeCreateAccountStatusRequest(String CreateAccountRequestId) {}

    public record DescribeCreateAccountStatusResponse(CreateAccountStatus CreateAccountStatus) {}

    public record ListCreateAccountStatusRequest(List<String> States, String NextToken, Integer MaxResults) {}

    public record ListCreateAccountStatusResponse(List<CreateAccountStatus> CreateAccountStatuses, String NextToken) {}

    public record Account(String Id, String Arn, String Email, String Name, String Status, String JoinedMethod,
                          Instant JoinedTimestamp) {}

    public record ListAccountsRequest(String NextToken, Integer MaxResults) {}

    public record ListAccountsResponse(List<Account> Accounts, String NextToken) {}

    public record DescribeAccountRequest(String AccountId) {}

    public record DescribeAccountResponse(Account Account) {}

    public record DescribeOrganizationRequest() {}

    public record PolicyTypeSummary(String Type, String Status) {}

    public record Organization(String Id, String Arn, String FeatureSet, String MasterAccountArn, String MasterAccountId,
                               String MasterAccountEmail, List<PolicyTypeSummary> AvailablePolicyTypes) {}

    public record DescribeOrganizationResponse(Organization Organization) {}
}
