package dev.coffer.server.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** CloudTrail's LookupEvents wire records, named member for member as in the AWS model. */
public final class CloudTrailMessages {
    private CloudTrailMessages() {}

    public record LookupAttribute(String AttributeKey, String AttributeValue) {}

    /** Times arrive as epoch seconds (with a fraction), as AWS JSON clients send timestamps. */
    public record LookupEventsRequest(List<LookupAttribute> LookupAttributes, BigDecimal StartTime, BigDecimal EndTime,
                                      String EventCategory, Integer MaxResults, String NextToken) {}

    public record Resource(String ResourceType, String ResourceName) {}

    public record Event(String EventId, String EventName, String ReadOnly, String AccessKeyId, Instant EventTime,
                        String EventSource, String Username, List<Resource> Resources, String CloudTrailEvent) {}

    public record LookupEventsResponse(List<Event> Events, String NextToken) {}
}
