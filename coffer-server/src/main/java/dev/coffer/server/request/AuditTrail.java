package dev.coffer.server.request;

/**
 * The audit step of the pipeline: every call — allowed, denied, failed — is handed here
 * before its answer is sent. An implementation that cannot record an event throws, and
 * the request fails: nothing is answered unaudited.
 */
public interface AuditTrail {
    void record(AuditEvent event);
}
