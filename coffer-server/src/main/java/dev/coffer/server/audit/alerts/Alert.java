package dev.coffer.server.audit.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.audit.ServiceEvents;
import java.time.Instant;

/**
 * One alert, before it becomes an event of the audit trail. Names ARNs, addresses and counts, never a value.
 *
 * @param accountId   the account it concerns (the observed call's recipient, or the secret's owner)
 * @param principal   the principal it concerns, or null
 * @param secretArn   the secret it concerns, or null
 * @param subject     what the rule watched: a principal's or secret's ARN, or a source IP
 * @param baseline    what was usual (the rule's learned state), or null
 * @param observed    what was seen
 * @param cause       the event id of the call that tipped it over, or null (the hygiene report's findings)
 * @param explanation one sentence a person on call can act on
 */
record Alert(AlertRule rule, Instant at, String accountId, String region, String principal, String secretArn,
             String secretName, String subject, JsonNode baseline, JsonNode observed, String cause, String explanation) {

    CloudTrailEvent toEvent() {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("rule", rule.id);
        details.put("subject", subject);
        if (principal != null) details.put("principal", principal);
        if (secretArn != null) details.put("secretArn", secretArn);
        if (baseline != null) details.set("baseline", baseline);
        details.set("observed", observed);
        if (cause != null) details.put("triggeringEventId", cause);
        details.put("explanation", explanation);
        return ServiceEvents.alert(accountId, region, rule.eventName, secretArn, secretName, principal, details, at);
    }
}
