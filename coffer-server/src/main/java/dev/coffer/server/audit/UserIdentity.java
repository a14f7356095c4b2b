package dev.coffer.server.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.coffer.server.iam.Principal;
import java.io.IOException;
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

    /**
     * Who called, as the alert engine's baselines know them: an IAM user by its ARN, a role session by its role's
     * ARN (each session has an ARN of its own, so a baseline per session would learn nothing); null for the service
     * and for callers without an ARN. {@link #actorArn(com.fasterxml.jackson.databind.JsonNode)} derives the same
     * from a stored record.
     */
    static String actorArn(Principal p) {
        if (p == null) return null;
        return switch (p.kind()) {
            case USER -> p.arn();
            case ASSUMED_ROLE -> p.session() != null && p.session().issuerArn() != null ? p.session().issuerArn() : p.arn();
            case FEDERATED, SERVICE -> null;
        };
    }

    /** {@link #actorArn(Principal)} from a record's userIdentity, as written by {@link #write}. */
    static String actorArn(com.fasterxml.jackson.databind.JsonNode id) {
        String type = id.path("type").asText("");
        String arn = id.path("arn").isTextual() ? id.path("arn").asText() : null;
        com.fasterxml.jackson.databind.JsonNode issuer = id.path("sessionContext").path("sessionIssuer").path("arn");
        return switch (type) {
            case "IAMUser", "Root" -> arn;
            case "AssumedRole" -> issuer.isTextual() ? issuer.asText() : arn;
            default -> null;
        };
    }

    /** Writes the identity as the value of the current field (members in CloudTrail's order; the chain hashes these bytes). */
    static void write(JsonGenerator g, Principal p) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type(p));
        if (p.kind() == Principal.Kind.SERVICE) {
            // CloudTrail's service events name the invoking service and no principal of the account.
            g.writeStringField("accountId", p.accountId());
            g.writeStringField("invokedBy", p.arn());
            g.writeEndObject();
            return;
        }
        if (p.kind() == Principal.Kind.FEDERATED && p.session() != null) {
            // A web identity before it is a role session: CloudTrail names it by its token, not by an ARN.
            g.writeStringField("principalId", p.userId());
            g.writeStringField("userName", p.session().sessionName());
            g.writeStringField("identityProvider", p.session().federatedProvider());
            g.writeEndObject();
            return;
        }
        g.writeStringField("principalId", p.userId());
        g.writeStringField("arn", p.arn());
        g.writeStringField("accountId", p.accountId());
        if (p.accessKeyId() != null) g.writeStringField("accessKeyId", p.accessKeyId());
        if (p.kind() == Principal.Kind.USER) g.writeStringField("userName", lastSegment(p.arn()));
        Principal.Session session = p.session();
        if (session != null) {
            g.writeObjectFieldStart("sessionContext");
            if (p.kind() == Principal.Kind.ASSUMED_ROLE && session.issuerArn() != null) {
                g.writeObjectFieldStart("sessionIssuer");
                g.writeStringField("type", "Role");
                String userId = p.userId();
                g.writeStringField("principalId", userId != null && userId.contains(":") ? userId.substring(0, userId.indexOf(':')) : userId);
                g.writeStringField("arn", session.issuerArn());
                g.writeStringField("accountId", p.accountId());
                g.writeStringField("userName", lastSegment(session.issuerArn()));
                g.writeEndObject();
            }
            if (session.federatedProvider() != null) {
                g.writeObjectFieldStart("webIdFederationData");
                g.writeStringField("federatedProvider", session.federatedProvider());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("attributes");
            if (session.issuedAt() != null) g.writeStringField("creationDate", iso(session.issuedAt()));
            g.writeStringField("mfaAuthenticated", "false");
            g.writeEndObject();
            if (session.sourceIdentity() != null) g.writeStringField("sourceIdentity", session.sourceIdentity());
            g.writeEndObject();
        }
        g.writeEndObject();
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
