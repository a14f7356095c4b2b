package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import java.io.IOException;
import java.util.List;

/**
 * Somewhere the audit trail is copied to. A sink is driven by one {@link SinkExporter} thread, never by a request.
 */
interface AuditSink extends AutoCloseable {

    /** The sink's cursor name: stable across restarts and the same on every node. */
    String name();

    /**
     * Delivers events (in sequence order, each {@link AuditRow#recordJson()} as stored) and returns only once the
     * receiver has them as durably as this kind of sink can tell; throws if it cannot say so. The same events may
     * be delivered again after a failure: receivers de-duplicate by eventID.
     */
    void deliver(List<AuditRow> events) throws IOException;

    /** Housekeeping between deliveries (rotation by time, retention); called often, on the exporter's thread. */
    default void tick() throws IOException {}

    @Override
    void close();
}
