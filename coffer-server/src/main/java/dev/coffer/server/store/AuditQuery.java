package dev.coffer.server.store;

/**
 * A lookup of audit events, newest first: one account (and region, if given), at most one attribute, an
 * optional time range and a cursor (the last event of the previous page).
 *
 * @param region      null for every region
 * @param attribute   null for every event
 * @param startTime   inclusive lower bound, epoch millis, or null
 * @param endTime     inclusive upper bound, epoch millis, or null
 * @param afterTime   with afterSeq: continue after this (event_time, seq), or null for the first page
 */
public record AuditQuery(String accountId, String region, Attribute attribute, String value, Long startTime, Long endTime,
                         Long afterTime, Long afterSeq, int limit) {

    /** The indexed fields a lookup can filter on. */
    public enum Attribute {
        EVENT_ID, EVENT_NAME, EVENT_SOURCE, USERNAME, ACCESS_KEY_ID, READ_ONLY, RESOURCE_NAME, RESOURCE_TYPE, SOURCE_IP,
        ERROR_CODE
    }
}
