package dev.coffer.server.store;

/**
 * A lookup of audit events, newest first: one account (and region, if given), at most one attribute, an
 * optional time range and a cursor (the last event of the previous page).
 *
 * @param region      null for every region
 * @param attribute   null for every event
 * @param resourceArn with RESOURCE_NAME: the name is a resource's plain name, and only this ARN of that name matches
 * @param startTime   inclusive lower bound, epoch millis, or null
 * @param endTime     inclusive upper bound, epoch millis, or null
 * @param afterTime   with afterSeq: continue after this (event_time, seq), or null for the first page
 */
public record AuditQuery(String accountId, String region, Attribute attribute, String value, String resourceArn,
                         Long startTime, Long endTime, Long afterTime, Long afterSeq, int limit) {

    /** The fields a lookup can filter on, with their code in the lookup index. */
    public enum Attribute {
        EVENT_ID(1), EVENT_NAME(2), EVENT_SOURCE(3), USERNAME(4), ACCESS_KEY_ID(5), READ_ONLY(6), RESOURCE_NAME(7),
        RESOURCE_TYPE(8), SOURCE_IP(9), ERROR_CODE(10);

        final int code;

        Attribute(int code) {
            this.code = code;
        }

        /** The event's value of this attribute (READ_ONLY: "true" or "false"), or null when it has none. */
        String of(AuditRow r) {
            return switch (this) {
                case EVENT_ID -> r.eventId();
                case EVENT_NAME -> r.eventName();
                case EVENT_SOURCE -> r.eventSource();
                case USERNAME -> r.username();
                case ACCESS_KEY_ID -> r.accessKeyId();
                case READ_ONLY -> r.readOnly() ? "true" : "false";
                case RESOURCE_NAME -> r.resource() == null ? null : r.resource().name();
                case RESOURCE_TYPE -> r.resource() == null ? null : r.resource().type();
                case SOURCE_IP -> r.sourceIp();
                case ERROR_CODE -> r.errorCode();
            };
        }
    }
}
