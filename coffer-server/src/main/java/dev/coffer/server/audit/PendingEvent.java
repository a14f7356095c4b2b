package dev.coffer.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.iam.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The event of the call in progress, filled in as the request pipeline learns about the call (who, what,
 * on which resource) and completed either inside the call's write transaction ({@link AuditingStore}) or
 * by the pipeline before it answers. Belongs to one request; the pipeline makes it current for the
 * request's thread ({@link AuditContext}).
 */
public final class PendingEvent {
    private final String eventId;
    private final Instant eventTime;
    private final String requestId;
    private final String sourceIp;
    private final String userAgent;
    private final String fallbackAccountId;
    private Principal principal;
    private String region;
    private String eventSource;
    private String eventName;
    private boolean readOnly;
    private JsonNode requestParameters;
    private final List<CloudTrailEvent.Resource> resources = new ArrayList<>(1);
    private Function<Object, JsonNode> responseRenderer = result -> null;
    private volatile boolean recorded;

    /** @param fallbackAccountId the account that receives events no principal can be named for (the deployment's own) */
    public PendingEvent(Instant eventTime, String requestId, String sourceIp, String userAgent, String fallbackAccountId) {
        this.eventTime = eventTime;
        this.eventId = EventIds.next(eventTime.toEpochMilli());
        this.requestId = requestId;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.fallbackAccountId = fallbackAccountId;
    }

    public String eventId() {
        return eventId;
    }

    /** The service (signing name, e.g. {@code secretsmanager}) and operation called. */
    public void operation(String service, String name, boolean isReadOnly) {
        this.eventSource = service == null ? null : service + ".amazonaws.com";
        this.eventName = name;
        this.readOnly = isReadOnly;
    }

    public void principal(Principal who, String inRegion) {
        this.principal = who;
        if (inRegion != null) this.region = inRegion;
    }

    /** Who an unsigned call turned out to be (a web identity, once its token verified); ignored if already known. */
    void identified(Principal who) {
        if (principal == null) principal = who;
    }

    public void region(String inRegion) {
        this.region = inRegion;
    }

    public void requestParameters(JsonNode parameters) {
        this.requestParameters = parameters;
    }

    /** How a result becomes responseElements (the codec's redacted view of it). */
    public void responseRenderer(Function<Object, JsonNode> renderer) {
        this.responseRenderer = renderer;
    }

    /** The resource authorization judged the call against (its ARN, owner and the name the caller used). */
    public void target(String arn, String accountId, String namedAs) {
        CloudTrailEvent.Resource r = Resources.of(arn, accountId, namedAs);
        resources.clear();
        if (r != null) resources.add(r);
    }

    /** What the service found the call acted on, once it knows (a new secret's real ARN and name). */
    void actedOnSecret(String arn, String name) {
        resources.clear();
        resources.add(Resources.secret(arn, name));
    }

    boolean recorded() {
        return recorded;
    }

    void markRecorded() {
        recorded = true;
    }

    /**
     * The event of a call that succeeded with {@code result}. Like CloudTrail, reads record no response elements,
     * except STS's credential-issuing calls (the session's key id, expiry and assumed-role user: never its secret).
     */
    public CloudTrailEvent succeeded(Object result) {
        boolean issuesCredentials = "sts.amazonaws.com".equals(eventSource) && eventName != null
                && (eventName.startsWith("AssumeRole") || eventName.equals("GetSessionToken"));
        JsonNode response = (readOnly && !issuesCredentials) || result == null ? null : responseRenderer.apply(result);
        return build(null, null, response);
    }

    public CloudTrailEvent failed(String errorCode, String errorMessage) {
        return build(errorCode, errorMessage, null);
    }

    private CloudTrailEvent build(String errorCode, String errorMessage, JsonNode response) {
        String recipient = principal != null ? principal.accountId() : fallbackAccountId;
        return new CloudTrailEvent(eventId, eventTime, CloudTrailEvent.API_CALL, principal, eventSource, eventName, region,
                sourceIp, userAgent, requestParameters, response, errorCode, errorMessage, requestId, readOnly,
                List.copyOf(resources), recipient, null);
    }
}
