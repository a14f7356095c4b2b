package dev.coffer.server.organizations;

/**
 * Gives a new member account its way in: as in AWS, a role (by default
 * {@code OrganizationAccountAccessRole}) with administrator access that the management
 * account's principals may assume. IAM implements it; Organizations only asks.
 */
@FunctionalInterface
public interface MemberAccountProvisioner {
    void provision(String memberAccountId, String managementAccountId, String roleName);
}
