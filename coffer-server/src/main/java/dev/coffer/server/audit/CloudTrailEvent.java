package dev.coffer.server.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.iam.Principal;
import java.io.IOException;
import java.io.StringWriter;
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

    /**
     * The record as CloudTrail writes it, compact, members always in the same order: the bytes the chain hashes.
     * Written straight to text (no tree in between): every call's event is written once, on the audit path.
     */
    public String toJson() {
        StringWriter out = new StringWriter(1_024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventVersion", EVENT_VERSION);
            g.writeFieldName("userIdentity");
            if (principal != null) UserIdentity.write(g, principal);
            else g.writeNull();
            g.writeStringField("eventTime", UserIdentity.iso(eventTime));
            g.writeStringField("eventSource", eventSource);
            g.writeStringField("eventName", eventName);
            g.writeStringField("awsRegion", region);
            g.writeStringField("sourceIPAddress", sourceIp);
            g.writeStringField("userAgent", userAgent);
            if (errorCode != null) {
                g.writeStringField("errorCode", errorCode);
                g.writeStringField("errorMessage", errorMessage);
            }
            writeTree(g, "requestParameters", requestParameters);
            writeTree(g, "responseElements", responseElements);
            g.writeStringField("requestID", requestId);
            g.writeStringField("eventID", eventId);
            g.writeBooleanField("readOnly", readOnly);
            if (!resources.isEmpty()) {
                g.writeArrayFieldStart("resources");
                for (Resource res : resources) {
                    g.writeStartObject();
                    g.writeStringField("accountId", res.accountId());
                    g.writeStringField("type", res.type());
                    g.writeStringField("ARN", res.arn());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeStringField("eventType", eventType);
            if (serviceEventDetails != null) writeTree(g, "serviceEventDetails", serviceEventDetails);
            g.writeBooleanField("managementEvent", true);
            g.writeStringField("recipientAccountId", recipientAccountId);
            g.writeStringField("eventCategory", "Management");
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an audit record", e);
        }
        return out.toString();
    }

    private static void writeTree(JsonGenerator g, String field, JsonNode value) throws IOException {
        g.writeFieldName(field);
        if (value == null) g.writeNull();
        else g.writeTree(value);
    }

    /**
     * Who a stored record's call was, as the alert baselines know callers (a user's ARN, a role session's role ARN; null
     * for the service and callers without an ARN): the rule events are appended with, read back from the record.
     *
     * @throws IOException if the record is not a JSON object
     */
    public static String actorOfRecord(String recordJson) throws IOException {
        JsonNode record = JSON.readTree(recordJson);
        if (record == null || !record.isObject()) throw new IOException("an audit record is a JSON object");
        return UserIdentity.actorArn(record.path("userIdentity"));
    }

    /** The name LookupEvents shows as Username and filters on. */
    public String username() {
        return UserIdentity.username(principal);
    }

    public String accessKeyId() {
        return principal == null ? null : principal.accessKeyId();
    }
}
