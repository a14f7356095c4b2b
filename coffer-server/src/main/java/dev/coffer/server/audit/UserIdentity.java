package dev.coffer.server.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * CloudTrail's {@code userIdentity}: who made a call, as far as authentication established it. Built from a
 * {@link Principal}; for a request whose signature failed, from the principal its access key belongs to
 * (the identity it claimed), so the owner of a key sees attempts made with it.
 */
final class UserIdentity {
    static final String SERVICE_TYPE = "AWSService";

    private UserIdentity() {}

    /** CloudTrail's identity type for a principal. */
    static String type(Principal p) {
        return switch (p.kind()) {
            case USER -> "IAMUser";
            case ASSUMED_ROLE -> "AssumedRole";
            case FEDERATED -> "WebIdentityUser";
            case SERVICE -> SERVICE_TYPE;
        };
    }

    /**
     * The name LookupEvents shows as Username and filters on: an IAM user's name, a role session's
     * session name (as CloudTrail shows it), the service's name for the service principal.
     */
    static String username(Principal p) {
        if (p == null) return null;
        return switch (p.kind()) {
            case USER -> lastSegment(p.arn());
            case ASSUMED_ROLE -> p.session() != null && p.session().sessionName() != null ? p.session().sessionName()
                    : lastSegment(p.arn());
            case FEDERATED -> p.session() != null && p.session().sessionName() != null ? p.session().sessionName() : p.arn();
            case SERVICE -> p.arn();
        };
    }

    static ObjectNode json(Principal p) {
        ObjectNode id = JsonNodeFactory.instance.objectNode();
        id.put("type", type(p));
        if (p.kind() == Principal.Kind.SERVICE) {
            // CloudTrail's service events name the invoking service and no principal of the account.
            id.put("accountId", p.accountId());
            id.put("invokedBy", p.arn());
            return id;
        }
        if (p.kind() == Principal.Kind.FEDERATED && p.session() != null) {
            // A web identity before it is a role session: CloudTrail names it by its token, not by an ARN.
            id.put("principalId", p.userId());
            id.put("userName", p.session().sessionName());
            id.put("identityProvider", p.session().federatedProvider());
            return id;
        }
        id.put("principalId", p.userId());
        id.put("arn", p.arn());
        id.put("accountId", p.accountId());
        if (p.accessKeyId() != null) id.put("accessKeyId", p.accessKeyId());
        if (p.kind() == Principal.Kind.USER) id.put("userName", lastSegment(p.arn()));
        Principal.Session session = p.session();
        if (session != null) {
            ObjectNode context = id.putObject("sessionContext");
            if (p.kind() == Principal.Kind.ASSUMED_ROLE && session.issuerArn() != null) {
                ObjectNode issuer = context.putObject("sessionIssuer");
                issuer.put("type", "Role");
                String userId = p.userId();
                issuer.put("principalId", userId != null && userId.contains(":") ? userId.substring(0, userId.indexOf(':')) : userId);
                issuer.put("arn", session.issuerArn());
                issuer.put("accountId", p.accountId());
                issuer.put("userName", lastSegment(session.issuerArn()));
            }
            if (session.federatedProvider() != null) {
                context.putObject("webIdFederationData").put("federatedProvider", session.federatedProvider());
            }
            ObjectNode attributes = context.putObject("attributes");
            if (session.issuedAt() != null) attributes.put("creationDate", iso(session.issuedAt()));
            attributes.put("mfaAuthenticated", "false");
            if (session.sourceIdentity() != null) context.put("sourceIdentity", session.sourceIdentity());
        }
        return id;
    }

    static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String lastSegment(String arn) {
        if (arn == null) return null;
        int slash = arn.lastIndexOf('/');
        return slash < 0 ? arn.substring(arn.lastIndexOf(':') + 1) : arn.substring(slash + 1);
    }
}
