package dev.coffer.server.audit.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import dev.coffer.server.store.AuditRow;
import java.util.Set;

/**
 * What the rules need of one event of the audit trail.
 *
 * @param principal  who called, as baselines know them: an IAM user's ARN, or for a role session the role's ARN (each
 *                   session has its own ARN, so a baseline per session would learn nothing); null for service events and
 *                   callers with no ARN (a web identity before it becomes a session)
 * @param secretArn  the secret it acted on, or null
 * @param read       a successful read of a secret's value
 * @param refused    refused: authorization denied it, or the caller's signature or key was not accepted
 * @param identified the call carried a principal authentication accepted (refused by authorization, or not refused)
 */
record ObservedCall(long seq, String eventId, long time, String accountId, String region, String eventName, String sourceIp,
                    String errorCode, String principal, String secretArn, String secretName, boolean read, boolean refused,
                    boolean identified) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");
    /** Failures of authentication that name a principal or probe for one: a guessed key, a key without its secret. */
    private static final Set<String> NOT_AUTHENTICATED = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "InvalidClientTokenId", "IncompleteSignatureException", "IncompleteSignature");
    private static final Set<String> VALUE_READS = Set.of("GetSecretValue");

    static ObservedCall of(AuditRow row) {
        String principal = row.actorArn();
        try {
            // No actor column: an event stored before it existed, or one without a principal; the record tells which.
            if (principal == null && row.recordJson() != null) principal = baselinePrincipal(row.recordJson());
        } catch (IOException e) {
            // The chain verifier reports a record that is not JSON; the engine has nothing to learn from it.
            return null;
        }
        String secretArn = null;
        String secretName = null;
        if (row.resource() != null && "AWS::SecretsManager::Secret".equals(row.resource().type())) {
            secretArn = row.resource().arn();
            secretName = row.resource().name();
        }
        String error = row.errorCode();
        boolean denied = error != null && DENIED.contains(error);
        boolean unauthenticated = error != null && NOT_AUTHENTICATED.contains(error);
        boolean read = error == null && secretArn != null && VALUE_READS.contains(row.eventName())
                && "secretsmanager.amazonaws.com".equals(row.eventSource());
        return new ObservedCall(row.seq(), row.eventId(), row.eventTime(), row.accountId(), row.region(), row.eventName(),
                row.sourceIp(), error, principal, secretArn, secretName, read, denied || unauthenticated,
                principal != null && !unauthenticated);
    }

    /**
     * Who the record's call is, for baselines, for events without an actor column: read from its userIdentity with a
     * streaming parser that stops there (the second member of every record).
     */
    static String baselinePrincipal(String recordJson) throws IOException {
        try (JsonParser p = JSON.createParser(recordJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("a record is a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"userIdentity".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_OBJECT) return null;
                String type = null;
                String arn = null;
                String issuerArn = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (name) {
                        case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "arn" -> arn = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "sessionContext" -> issuerArn = t == JsonToken.START_OBJECT ? issuerArn(p) : null;
                        default -> p.skipChildren();
                    }
                }
                return switch (type == null ? "" : type) {
                    case "IAMUser", "Root" -> arn;
                    case "AssumedRole" -> issuerArn != null ? issuerArn : arn;
                    default -> null;
                };
            }
            return null;
        }
    }

    /** sessionContext.sessionIssuer.arn, the parser at the start of sessionContext; leaves it at its end. */
    private static String issuerArn(JsonParser p) throws IOException {
        String arn = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (!"sessionIssuer".equals(name) || t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("arn".equals(field) && v == JsonToken.VALUE_STRING) arn = p.getText();
                else p.skipChildren();
            }
        }
        return arn;
    }
}
