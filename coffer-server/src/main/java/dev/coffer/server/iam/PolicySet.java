package dev.coffer.server.iam;

import java.util.List;

/**
 * Every policy that bears on one request.
 *
 * @param identity  the caller's identity-based policies (inline and attached, the user's groups' too;
 *                  for a role session, the role's)
 * @param boundary  the caller's permissions boundary, or null
 * @param session   session policies of a role/federated session (inline and managed), empty when none
 * @param resource  the target resource's resource-based policy (secret policy, role trust policy), or null
 */
public record PolicySet(List<NamedPolicy> identity, NamedPolicy boundary, List<NamedPolicy> session, NamedPolicy resource) {
    public PolicySet {
        identity = List.copyOf(identity);
        session = List.copyOf(session);
    }
}
