package dev.coffer.server.audit;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.audit.CloudTrailMessages.Event;
import dev.coffer.server.audit.CloudTrailMessages.LookupAttribute;
import dev.coffer.server.audit.CloudTrailMessages.LookupEventsRequest;
import dev.coffer.server.audit.CloudTrailMessages.LookupEventsResponse;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.store.AuditQuery;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CloudTrail's {@code LookupEvents} over the audit trail (JSON 1.1, target prefix {@value #TARGET_PREFIX}, signing
 * name {@value #SIGNING_NAME}), so {@code aws cloudtrail lookup-events} works against Coffer: the caller's account's
 * events in the region it calls, newest first, at most one lookup attribute, a time range and pages of up to 50.
 * Authorized as {@code cloudtrail:LookupEvents}; audited like every call. Every lookup is answered from an index
 * (account, attribute, time), so a lookup by secret costs the same over millions of events as over a few.
 */
public final class CloudTrailService {
    public static final String SIGNING_NAME = "cloudtrail";
    public static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
    public static final String MODEL = "aws-models/cloudtrail-2013-11-01.json";
    private static final int MAX_RESULTS = 50;

    private static final Map<String, AuditQuery.Attribute> ATTRIBUTES = Map.of(
            "EventId", AuditQuery.Attribute.EVENT_ID,
            "EventName", AuditQuery.Attribute.EVENT_NAME,
            "ReadOnly", AuditQuery.Attribute.READ_ONLY,
            "Username", AuditQuery.Attribute.USERNAME,
            "ResourceType", AuditQuery.Attribute.RESOURCE_TYPE,
            "ResourceName", AuditQuery.Attribute.RESOURCE_NAME,
            "EventSource", AuditQuery.Attribute.EVENT_SOURCE,
            "AccessKeyId", AuditQuery.Attribute.ACCESS_KEY_ID);

    private final Store store;
    private final List<Operation<?, ?>> operations;

    public CloudTrailService(Store store) {
        this.store = store;
        this.operations = List.of(new Operation<>(SIGNING_NAME, "LookupEvents", LookupEventsRequest.class, true, this::lookup)
                .withTarget((ctx, req) -> AccessTarget.anyResource(ctx.accountId())));
    }

    public List<Operation<?, ?>> operations() {
        return operations;
    }

    LookupEventsResponse lookup(CallContext ctx, LookupEventsRequest req) {
        AuditQuery.Attribute attribute = null;
        String value = null;
        List<LookupAttribute> attributes = req.LookupAttributes() == null ? List.of() : req.LookupAttributes();
        if (attributes.size() > 1) {
            throw new ServiceException(ErrorCode.InvalidLookupAttributesException,
                    "You cannot specify more than one lookup attribute.");
        }
        if (attributes.size() == 1) {
            LookupAttribute a = attributes.getFirst();
            attribute = a.AttributeKey() == null ? null : ATTRIBUTES.get(a.AttributeKey());
            if (attribute == null) {
                throw new ServiceException(ErrorCode.InvalidLookupAttributesException,
                        "Lookup attribute key " + a.AttributeKey() + " is not valid.");
            }
            // Stored copies hold NUL as U+FFFD (AuditChain.cut): look for what they hold.
            value = a.AttributeValue() == null ? null : AuditChain.cut(a.AttributeValue(), Integer.MAX_VALUE);
            if (value == null || value.isEmpty()) {
                throw new ServiceException(ErrorCode.InvalidLookupAttributesException, "Lookup attribute value cannot be empty.");
            }
            if (attribute == AuditQuery.Attribute.READ_ONLY) {
                value = value.toLowerCase(Locale.ROOT);
                if (!value.equals("true") && !value.equals("false")) {
                    throw new ServiceException(ErrorCode.InvalidLookupAttributesException,
                            "ReadOnly lookup attribute value must be true or false.");
                }
            }
        }
        if (req.EventCategory() != null && !req.EventCategory().equals("insight")) {
            throw new ServiceException(ErrorCode.InvalidEventCategoryException, "Event category is not valid.");
        }
        // Event times are whole seconds, as CloudTrail's: a bound names a second, and the end includes all of it.
        Long start = second(req.StartTime());
        Long end = second(req.EndTime());
        if (end != null) end += 999;
        if (attribute == AuditQuery.Attribute.EVENT_ID) {
            // Event ids carry their event's millisecond (UUID version 7): the lookup is a scan of that millisecond.
            long at = EventIds.millisOf(value);
            if (at < 0 || (start != null && at < start) || (end != null && at > end)) {
                return new LookupEventsResponse(List.of(), null);
            }
            start = at;
            end = at;
        }
        if (start != null && end != null && start > end) {
            throw new ServiceException(ErrorCode.InvalidTimeRangeException, "Start time must be before end time.");
        }
        int max = req.MaxResults() == null ? MAX_RESULTS : req.MaxResults();
        if (max < 1 || max > MAX_RESULTS) {
            throw new ServiceException(ErrorCode.InvalidMaxResultsException,
                    "MaxResults must be between 1 and " + MAX_RESULTS + ".");
        }
        // Coffer records no Insights events: asking for them alone finds nothing.
        if ("insight".equals(req.EventCategory())) return new LookupEventsResponse(List.of(), null);

        String fingerprint = fingerprint(ctx, attribute, value, start, end);
        Long afterTime = null;
        Long afterSeq = null;
        if (req.NextToken() != null) {
            long[] cursor = PageToken.read(req.NextToken(), fingerprint);
            afterTime = cursor[0];
            afterSeq = cursor[1];
        }
        // Resources are indexed by plain name: an ARN is looked up by its name, then matched exactly.
        String arn = null;
        if (attribute == AuditQuery.Attribute.RESOURCE_NAME && value.startsWith("arn:")) {
            CloudTrailEvent.Resource named = Resources.of(value, null, null);
            if (named != null && named.alias() != null) {
                arn = value;
                value = named.alias();
            }
        }
        AuditQuery query = new AuditQuery(ctx.accountId(), ctx.region(), attribute, value, arn, start, end, afterTime,
                afterSeq, max + 1);
        List<AuditRow> rows = store.read(tx -> tx.audit().lookup(query));
        boolean more = rows.size() > max;
        if (more) rows = rows.subList(0, max);
        List<Event> events = new ArrayList<>(rows.size());
        for (AuditRow r : rows) events.add(event(r));
        String next = more ? PageToken.write(rows.getLast().eventTime(), rows.getLast().seq(), fingerprint) : null;
        return new LookupEventsResponse(events, next);
    }

    private static Event event(AuditRow r) {
        List<CloudTrailMessages.Resource> resources = r.resource() == null ? List.of()
                : List.of(new CloudTrailMessages.Resource(r.resource().type(), r.resource().arn()));
        return new Event(r.eventId(), r.eventName(), String.valueOf(r.readOnly()), r.accessKeyId(),
                Instant.ofEpochMilli(r.eventTime() / 1000 * 1000), r.eventSource(), r.username(), resources, r.recordJson());
    }

    /** The start of the second a timestamp falls in, in epoch milliseconds. */
    private static Long second(BigDecimal epochSeconds) {
        if (epochSeconds == null) return null;
        try {
            return Math.multiplyExact(epochSeconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact(), 1000L);
        } catch (ArithmeticException e) {
            throw new ServiceException(ErrorCode.InvalidTimeRangeException, "The time range is not valid.");
        }
    }

    /** What a page token is bound to: the same lookup, by the same account, in the same region. */
    private static String fingerprint(CallContext ctx, AuditQuery.Attribute attribute, String value, Long start, Long end) {
        return ctx.accountId() + "|" + ctx.region() + "|" + attribute + "|" + value + "|" + start + "|" + end;
    }

    /** Opaque page tokens: the last event's (time, sequence) and a hash of the lookup they continue. */
    static final class PageToken {
        private PageToken() {}

        static String write(long time, long seq, String fingerprint) {
            String text = time + ":" + seq + ":" + hash(fingerprint);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static long[] read(String token, String fingerprint) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
                if (parts.length == 3 && parts[2].equals(hash(fingerprint))) {
                    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
                }
            } catch (IllegalArgumentException e) {
                // not one of ours: refused below
            }
            throw new ServiceException(ErrorCode.InvalidNextTokenException, "Invalid NextToken.");
        }

        private static String hash(String fingerprint) {
            return dev.coffer.crypto.Hashing.sha256Hex(fingerprint.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        }
    }
}
