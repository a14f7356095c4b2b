package dev.coffer.server.audit.alerts;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.CloudTrailEvent;
import dev.coffer.server.store.AlertRepository.State;
import dev.coffer.server.store.AuditRow;
import dev.coffer.server.store.Store;
import dev.coffer.server.store.Transaction;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the audit trail and raises alerts on it: a singleton job that reads the events appended since its cursor
 * (kept in the store, with the baselines, so a restart or another node carries on where it stopped), runs
 * {@link TrailRules} over them in order, and appends the alerts to the trail as events, in the unit that moves the
 * cursor and the baselines: an event is judged exactly once, and an alert is in the trail if and only if the
 * baselines moved past its cause.
 *
 * <p>Most batches raise nothing and should not keep other appenders waiting, so a batch first runs without the chain
 * head; only when it finds something to raise is it rolled back and run again holding the head (on PostgreSQL the
 * head must be taken before the unit reads anything). Judging is deterministic, so the second run raises the same.
 */
public final class AlertEngine {
    static final int BATCH = 2_000;

    private final Store store;
    private final AuditLog log;
    private final Clock clock;
    private final TrailRules rules;
    private final AlertCounter counter;

    public AlertEngine(Store store, AuditLog log, AlertSettings settings, Clock clock, MeterRegistry metrics) {
        this(store, log, settings, clock, new AlertCounter(metrics));
    }

    AlertEngine(Store store, AuditLog log, AlertSettings settings, Clock clock, AlertCounter counter) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.rules = new TrailRules(settings);
        this.counter = counter;
    }

    /** Judges every event appended so far; returns how many alerts it raised. */
    public int runPending() {
        int raised = 0;
        while (true) {
            Judged judged;
            try {
                judged = store.write(tx -> judge(tx, false));
            } catch (ChainNeeded e) {
                judged = store.write(tx -> judge(tx, true));
            }
            counter.committed(judged.alerts());
            raised += judged.alerts().size();
            if (judged.events() < BATCH) return raised;
        }
    }

    private record Judged(int events, List<Alert> alerts) {}

    /** Thrown to roll a batch back that found alerts without holding the chain head. */
    private static final class ChainNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChainNeeded() {
            super("the batch raises alerts: run it again holding the chain head", null, false, false);
        }
    }

    private Judged judge(Transaction tx, boolean holdingChain) throws SQLException {
        if (holdingChain) log.holdChain(tx);
        State state = tx.alerts().lockState().orElse(null);
        if (state == null) {
            state = new State(0, clock.millis()); // the first run: the deployment's learning period starts now
            tx.alerts().putState(state);
        }
        List<AuditRow> rows = tx.audit().page(state.processedUpTo(), BATCH, ObservedCall::needsRecord);
        if (rows.isEmpty()) return new Judged(0, List.of());
        Baselines baselines = new Baselines(tx);
        List<Alert> alerts = new ArrayList<>();
        for (AuditRow row : rows) {
            ObservedCall call = ObservedCall.of(row);
            if (call != null) rules.observe(call, state.startedAt(), baselines, alerts);
        }
        if (!alerts.isEmpty() && !holdingChain) throw new ChainNeeded();
        baselines.flush();
        tx.alerts().putState(new State(rows.getLast().seq(), state.startedAt()));
        List<CloudTrailEvent> events = new ArrayList<>(alerts.size());
        for (Alert a : alerts) events.add(a.toEvent());
        log.recordIn(tx, events);
        return new Judged(rows.size(), alerts);
    }
}
