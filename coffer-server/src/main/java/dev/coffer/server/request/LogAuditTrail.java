package dev.coffer.server.request;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each call as one structured line to the {@code coffer.audit} logger. It is an
 * access log, not yet the tamper-evident durable trail (that store plugs in here,
 * behind {@link AuditTrail}, and fails requests closed when it cannot write).
 */
public final class LogAuditTrail implements AuditTrail {
    private static final Logger audit = LoggerFactory.getLogger("coffer.audit");

    @Override
    public void record(AuditEvent e) {
        if (!audit.isInfoEnabled()) return;
        audit.info("event={}:{} region={} principal={} accessKeyId={} sourceIp={} readOnly={} outcome={} "
                        + "errorCode={} durationMicros={}", e.eventSource(), e.eventName(), e.region(),
                e.principalArn(), e.accessKeyId(), e.sourceIp(), e.readOnly(), e.errorCode() == null ? "success" : "failure",
                e.errorCode(), e.durationMicros());
    }
}
