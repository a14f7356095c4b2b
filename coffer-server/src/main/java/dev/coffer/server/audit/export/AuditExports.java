package dev.coffer.server.audit.export;

import dev.coffer.server.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's exports: one {@link SinkExporter} per configured sink, each following the durable log from its
 * cursor on the node that runs the cluster's singleton work. Sinks are opened when this is made (a missing secret
 * file, an unreadable CA file or directory stops the server from starting), and export from {@link #start()}.
 */
public final class AuditExports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditExports.class);

    private final List<SinkExporter> exporters;

    private AuditExports(List<SinkExporter> exporters) {
        this.exporters = exporters;
    }

    /**
     * @param runsHere whether this node runs the cluster's singleton work now (it holds the singleton-jobs lease)
     */
    public static AuditExports open(Store store, ExportSettings settings, BooleanSupplier runsHere, Clock clock,
                                    MeterRegistry metrics) {
        List<AuditSink> sinks = new ArrayList<>();
        try {
            if (settings.file() != null) sinks.add(new JsonLinesFileSink(settings.file(), clock));
            if (settings.syslog() != null) sinks.add(new SyslogSink(settings.syslog()));
            if (settings.webhook() != null) sinks.add(new WebhookSink(settings.webhook()));
        } catch (IOException e) {
            sinks.forEach(AuditSink::close);
            throw new UncheckedIOException("cannot open an audit export sink: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            sinks.forEach(AuditSink::close);
            throw e;
        }
        List<SinkExporter> exporters = new ArrayList<>();
        for (AuditSink sink : sinks) {
            exporters.add(new SinkExporter(store, sink, runsHere, clock, settings, metrics));
            log.info("exporting the audit trail to {}", sink);
        }
        return new AuditExports(exporters);
    }

    public void start() {
        exporters.forEach(SinkExporter::start);
    }

    @Override
    public void close() {
        exporters.forEach(SinkExporter::close);
    }
}
