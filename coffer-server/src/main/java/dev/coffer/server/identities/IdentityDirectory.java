package dev.coffer.server.identities;

import dev.coffer.server.iam.NamedPolicy;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.sts.AssumableRole;
import dev.coffer.server.sts.OidcProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read side of IAM for authorization and STS: what policies bear on a principal, roles by ARN,
 * OIDC providers, and every principal there is (for who-can). SKELETON: the IAM work fills it in.
 */
public final class IdentityDirectory {

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

    public PrincipalPolicies policiesFor(Principal principal) {
        throw new UnsupportedOperationException("skeleton");
    }

    public Optional<AssumableRole> role(String roleArn) {
        throw new UnsupportedOperationException("skeleton");
    }

    public Optional<OidcProvider> oidcProvider(String accountId, String issuerUrl) {
        throw new UnsupportedOperationException("skeleton");
    }

    public List<PrincipalEntry> principals() {
        throw new UnsupportedOperationException("skeleton");
    }
}
