package dev.coffer.server.request;

import java.time.Instant;

/**
 * One API call, as the audit trail sees it. Never holds a secret value: only names,
 * ids, the outcome and the error code.
 *
 * @param principalArn null when authentication failed
 * @param accessKeyId  the key the request was signed with, when it named one
 * @param errorCode    null on success
 */
public record AuditEvent(Instant eventTime, String requestId, String eventSource, String eventName, String region,
                         String sourceIp, String userAgent, String principalArn, String accountId, String accessKeyId,
                         boolean readOnly, String errorCode, String errorMessage, long durationMicros) {}
