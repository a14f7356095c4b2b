package dev.coffer.server.identities;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.iam.Evaluation;
import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.identities.IamMessages.CreateRoleRequest;
import dev.coffer.server.identities.IdentityDirectory.PrincipalPolicies;
import dev.coffer.server.keyring.Keyring;
import dev.coffer.server.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAM API (Query protocol): users and their access keys, roles, groups, inline and managed
 * policies and their attachments, OIDC providers and permissions boundaries, with IAM's own
 * error codes and words. Rows that decide access are written with their MAC ({@link RowMacs}).
 * Each operation names its IAM resource ARN and condition keys for the authorizer
 * ({@link IamTargets}).
 *
 * <p>This class is the entry point; each kind of IAM entity has its own class in this package
 * ({@link IamUsers}, {@link IamGroups}, {@link IamRoles}, {@link IamInlinePolicies},
 * {@link IamManagedPolicies}, {@link IamPolicyAttachments}, {@link IamOidcProviders}, and {@link IamPolicySimulator}), sharing
 * {@link IamSupport}.
 */
public final class IamService {
    public static final String SIGNING_NAME = "iam";

    private final IamUsers users;
    private final IamGroups groups;
    private final IamRoles roles;
    private final IamInlinePolicies inlinePolicies;
    private final IamManagedPolicies managedPolicies;
    private final IamPolicyAttachments attachments;
    private final IamOidcProviders oidcProviders;
    private final IamPolicySimulator simulator;

    public IamService(Store store, Keyring keyring, RowMacs macs, AwsManagedPolicies awsPolicies, Clock clock,
                      SecureRandom random) {
        this(store, keyring, macs, awsPolicies, clock, random, null, null);
    }

    /**
     * With the policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy), which reads policies from
     * {@code directory} and asks {@code decider} — the request pipeline's access decider — for every answer.
     */
    public IamService(Store store, Keyring keyring, RowMacs macs, AwsManagedPolicies awsPolicies, Clock clock,
                      SecureRandom random, IdentityDirectory directory, SimulationDecider decider) {
        IamSupport iam = new IamSupport(store, keyring, macs, awsPolicies, clock, random);
        IamTargets targets = new IamTargets(iam);
        this.users = new IamUsers(iam, targets);
        this.groups = new IamGroups(iam, targets);
        this.roles = new IamRoles(iam, targets);
        this.inlinePolicies = new IamInlinePolicies(iam, targets);
        this.managedPolicies = new IamManagedPolicies(iam);
        this.attachments = new IamPolicyAttachments(iam, targets);
        this.oidcProviders = new IamOidcProviders(iam);
        this.simulator = decider == null ? null : new IamPolicySimulator(iam, directory, decider);
    }

    /** The access decider's evaluation with the simulator's inputs ({@code authz.AccessDecider#evaluate}). */
    @FunctionalInterface
    public interface SimulationDecider {
        Evaluation evaluate(Principal principal, String action, AccessTarget target, PrincipalPolicies own,
                            List<NamedPolicy> extraIdentity, NamedPolicy boundary, Map<String, List<String>> context);
    }

    public List<Operation<?, ?>> operations() {
        List<Operation<?, ?>> operations = new ArrayList<>(users.operations());
        operations.addAll(roles.operations());
        operations.addAll(inlinePolicies.operations());
        operations.addAll(managedPolicies.operations());
        operations.addAll(attachments.operations());
        operations.addAll(groups.operations());
        operations.addAll(oidcProviders.operations());
        if (simulator != null) operations.addAll(simulator.operations());
        return List.copyOf(operations);
    }

    /**
     * Organizations' CreateAccount: gives a new member account the role its management account
     * enters it by, with AdministratorAccess, trusted by the management account (as AWS does).
     * Acts as the service principal inside the new account.
     */
    public void createOrganizationAccessRole(String memberAccountId, String managementAccountId, String roleName) {
        CallContext ctx = new CallContext(Principal.service(memberAccountId), memberAccountId,
                "us-east-1", "organizations-create-account", null, null);
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + managementAccountId + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
        roles.createRole(ctx, new CreateRoleRequest("/", roleName, trust, "Entered by the organization's management account",
                null, null, null));
        attachments.attach(ctx, "role", roleName, "arn:aws:iam::aws:policy/AdministratorAccess");
    }
}
