package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the durable audit log to one sink, from the sink's cursor in the database, in bounded batches; the cursor
 * moves only after the sink confirmed a batch, so a sink that is down falls behind and later gets everything
 * (at least once: a batch whose confirmation was lost is delivered again). It reads committed events and never sits
 * on the request path, so a slow or dead sink cannot slow or fail an API call: it only falls behind, which the
 * {@code coffer_audit_export_lag_events} and {@code coffer_audit_export_lag_seconds} gauges show.
 *
 * <p>It delivers only while {@code runsHere} (the node holds the cluster's singleton-jobs lease), so one node exports
 * each sink and the next holder continues from the cursor. It has its own thread rather than a slot on the shared
 * singleton-jobs runner: a sink waiting on a timeout must not hold back the purge, the lookup index or the digests.
 * Every node keeps its lag gauges current from the database, so any node's /metrics tells how far behind a sink is.
 */
final class SinkExporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkExporter.class);

    private final Store store;
    private final AuditSink sink;
    private final BooleanSupplier runsHere;
    private final Clock clock;
    private final int batch;
    private final long pollMillis;
    private final Backoff backoff;
    private final Counter delivered;
    private final Counter failures;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile double lagEvents = Double.NaN;
    private volatile double lagSeconds = Double.NaN;

    SinkExporter(Store store, AuditSink sink, BooleanSupplier runsHere, Clock clock, ExportSettings settings,
                 MeterRegistry metrics) {
        this.store = store;
        this.sink = sink;
        this.runsHere = runsHere;
        this.clock = clock;
        this.batch = settings.batch();
        this.pollMillis = settings.poll().toMillis();
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        Gauge.builder("coffer.audit.export.lag.events", this, e -> e.lagEvents).tag("sink", sink.name())
                .description("Audit events committed but not yet delivered to the sink").register(metrics);
        Gauge.builder("coffer.audit.export.lag.seconds", this, e -> e.lagSeconds).tag("sink", sink.name())
                .description("Age of the oldest audit event not yet delivered to the sink (0 when caught up)").register(metrics);
        this.delivered = Counter.builder("coffer.audit.export.delivered").tag("sink", sink.name())
                .description("Audit events delivered to the sink by this node").register(metrics);
        this.failures = Counter.builder("coffer.audit.export.failures").tag("sink", sink.name())
                .description("Failed deliveries to the sink by this node").register(metrics);
        this.thread = Thread.ofPlatform().daemon(true).name("coffer-export-" + sink.name()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (closing.getCount() > 0) {
            long pause = pollMillis;
            if (runsHere.getAsBoolean()) {
                try {
                    if (exportBatch()) pause = 0; // a full batch: more is waiting
                    if (backoff.failures() > 0) {
                        log.info("audit export to {} delivers again after {} failed attempts", sink, backoff.failures());
                        backoff.reset();
                    }
                } catch (IOException | RuntimeException e) {
                    failures.increment();
                    pause = backoff.nextPauseMillis();
                    // One warning per outage; the lag gauges tell the rest.
                    if (backoff.failures() == 1) {
                        log.warn("audit export to {} failed ({}); retrying with backoff, the sink falls behind until it answers",
                                sink, e.toString());
                    } else {
                        log.debug("audit export to {} failed again ({})", sink, e.toString());
                    }
                }
                try {
                    sink.tick();
                } catch (IOException | RuntimeException e) {
                    log.warn("audit export housekeeping for {} failed ({})", sink, e.toString());
                }
            }
            refreshLag();
            if (pause > 0) {
                try {
                    if (closing.await(pause, TimeUnit.MILLISECONDS)) return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Delivers the next batch after the cursor and moves the cursor; returns whether the batch was full. */
    boolean exportBatch() throws IOException {
        List<AuditRow> events = store.read(tx -> tx.audit().page(tx.auditExports().cursor(sink.name()), batch));
        if (events.isEmpty()) return false;
        sink.deliver(events);
        AuditRow last = events.getLast();
        long now = clock.millis();
        store.write(tx -> {
            tx.auditExports().advance(sink.name(), last.seq(), last.eventTime(), now);
            return null;
        });
        delivered.increment(events.size());
        return events.size() == batch;
    }

    private void refreshLag() {
        try {
            long[] lag = store.read(tx -> {
                long cursor = tx.auditExports().cursor(sink.name());
                long head = tx.audit().head().lastSeq();
                long oldest = head > cursor ? tx.auditExports().firstEventTimeAfter(cursor) : -1;
                return new long[] {head - cursor, oldest};
            });
            lagEvents = Math.max(0, lag[0]);
            lagSeconds = lag[1] < 0 ? 0 : Math.max(0, clock.millis() - lag[1]) / 1000.0;
        } catch (RuntimeException e) {
            lagEvents = Double.NaN; // unknown while the database is unreachable
            lagSeconds = Double.NaN;
        }
    }

    /** Stops exporting (a delivery under way finishes or times out first) and closes the sink. */
    @Override
    public void close() {
        closing.countDown();
        try {
            thread.join(2_000);
            sink.close(); // unblocks a delivery still waiting on its receiver
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
