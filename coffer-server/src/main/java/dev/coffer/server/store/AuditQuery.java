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

    /** The fields a lookup can filter on, with their code in the lookup index and their column in the events. */
    public enum Attribute {
        EVENT_ID(1, "event_id"), EVENT_NAME(2, "event_name"), EVENT_SOURCE(3, "event_source"), USERNAME(4, "username"),
        ACCESS_KEY_ID(5, "access_key_id"), READ_ONLY(6, null), RESOURCE_NAME(7, "resource_name"),
        RESOURCE_TYPE(8, "resource_type"), SOURCE_IP(9, "source_ip"), ERROR_CODE(10, "error_code");

        final int code;
        final String column;

        Attribute(int code, String column) {
            this.code = code;
            this.column = column;
        }
    }
}
