package dev.coffer.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.util.List;

/**
 * One event in CloudTrail's record format (eventVersion 1.11): an API call ({@code AwsApiCall}) or
 * something the service did on its own ({@code AwsServiceEvent}, e.g. the end of a secret's recovery
 * window). It never holds a secret value: request parameters and response elements arrive already
 * redacted by the service model (every sensitive member dropped).
 *
 * @param principal          who called; for a failed signature, the owner of the access key it claimed; null if unknown
 * @param requestParameters  the request's members, CloudTrail-cased and redacted; null when there are none or the
 *                           request could not be read
 * @param responseElements   for calls that change something, the result's members, redacted; null otherwise
 * @param resources          what the call acted on (the store indexes the first; Coffer's events name at most one)
 */
public record CloudTrailEvent(String eventId, Instant eventTime, String eventType, Principal principal, String eventSource,
                              String eventName, String region, String sourceIp, String userAgent, JsonNode requestParameters,
                              JsonNode responseElements, String errorCode, String errorMessage, String requestId,
                              boolean readOnly, List<Resource> resources, String recipientAccountId,
                              JsonNode serviceEventDetails) {

    public static final String EVENT_VERSION = "1.11";
    public static final String API_CALL = "AwsApiCall";
    public static final String SERVICE_EVENT = "AwsServiceEvent";
    private static final ObjectMapper JSON = new ObjectMapper();

    public CloudTrailEvent {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /**
     * A resource the event names: its ARN and CloudTrail type (e.g. {@code AWS::SecretsManager::Secret}), and
     * for lookups only a plain name (a secret's name) that finds it too.
     */
    public record Resource(String arn, String type, String accountId, String alias) {}

    /** The record as CloudTrail writes it, compact, members always in the same order: the bytes the chain hashes. */
    public String toJson() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("eventVersion", EVENT_VERSION);
        if (principal != null) r.set("userIdentity", UserIdentity.json(principal));
        else r.set("userIdentity", null);
        r.put("eventTime", UserIdentity.iso(eventTime));
        r.put("eventSource", eventSource);
        r.put("eventName", eventName);
        r.put("awsRegion", region);
        r.put("sourceIPAddress", sourceIp);
        r.put("userAgent", userAgent);
        if (errorCode != null) {
            r.put("errorCode", errorCode);
            r.put("errorMessage", errorMessage);
        }
        r.set("requestParameters", requestParameters);
        r.set("responseElements", responseElements);
        r.put("requestID", requestId);
        r.put("eventID", eventId);
        r.put("readOnly", readOnly);
        if (!resources.isEmpty()) {
            ArrayNode list = r.putArray("resources");
            for (Resource res : resources) {
                ObjectNode o = list.addObject();
                o.put("accountId", res.accountId());
                o.put("type", res.type());
                o.put("ARN", res.arn());
            }
        }
        r.put("eventType", eventType);
        if (serviceEventDetails != null) r.set("serviceEventDetails", serviceEventDetails);
        r.put("managementEvent", true);
        r.put("recipientAccountId", recipientAccountId);
        r.put("eventCategory", "Management");
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit record", e);
        }
    }

    /** The name LookupEvents shows as Username and filters on. */
    public String username() {
        return UserIdentity.username(principal);
    }

    public String accessKeyId() {
        return principal == null ? null : principal.accessKeyId();
    }
}
