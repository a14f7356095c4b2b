package dev.coffer.server.cluster;

import dev.coffer.server.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that must run on exactly one node at a time — purging deleted secrets, signing audit digests,
 * rotations — however many nodes share the store. The node holding the {@value #LEASE} lease in the
 * database runs it; the others wait. The holder renews its lease every {@link #RENEW_EVERY}; a lease not
 * renewed for {@link #TTL} (its node died, hung or lost the database) is taken by the next node that asks,
 * which at once runs every job the dead node may have left undone. So the work moves within
 * TTL + RENEW_EVERY of a node's death, and a clean shutdown hands it over at once.
 *
 * <p>A node stops counting itself the holder {@link #MARGIN} before the lease it wrote expires, by its own
 * monotonic clock, so two nodes never both believe they hold it as long as their wall clocks (which stamp
 * the lease in the database) agree to within that margin — keep nodes' clocks in sync (NTP). A job already
 * running when its node loses the lease finishes: jobs are written as idempotent units that re-check
 * their preconditions inside their own transactions, so a rare overlap is harmless.
 */
public final class SingletonJobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SingletonJobs.class);
    public static final String LEASE = "singleton-jobs";
    static final Duration TTL = Duration.ofSeconds(6);
    static final Duration RENEW_EVERY = Duration.ofSeconds(2);
    static final Duration MARGIN = Duration.ofSeconds(1);

    private record Job(String name, Duration every, Runnable work) {}

    private final Store store;
    private final Clock clock;
    private final String nodeId = UUID.randomUUID().toString();
    private final List<Job> jobs = new ArrayList<>();
    private final ScheduledExecutorService lease = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("coffer-lease").daemon(true).factory());
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("coffer-jobs").daemon(true).factory());
    /** System.nanoTime() until which this node holds the lease; 0 when it does not. */
    private volatile long heldUntilNanos;
    private volatile boolean started;

    public SingletonJobs(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Runs {@code work} every {@code every} while this node holds the lease. Register before {@link #start()}. */
    public SingletonJobs schedule(String name, Duration every, Runnable work) {
        if (started) throw new IllegalStateException("register jobs before starting");
        jobs.add(new Job(name, every, work));
        return this;
    }

    public void start() {
        started = true;
        lease.scheduleWithFixedDelay(this::renew, 0, RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        for (Job job : jobs) {
            long every = job.every().toMillis();
            runner.scheduleWithFixedDelay(() -> runIfHolder(job), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether this node runs the singleton work now. */
    public boolean holder() {
        long until = heldUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** The id this node holds the lease under (new at every start). */
    public String nodeId() {
        return nodeId;
    }

    private void renew() {
        boolean was = holder();
        long asked = System.nanoTime();
        try {
            long now = clock.millis();
            boolean held = store.write(tx -> tx.leases().acquire(LEASE, nodeId, now, now + TTL.toMillis()));
            heldUntilNanos = held ? asked + TTL.minus(MARGIN).toNanos() : 0;
        } catch (RuntimeException e) {
            // Not renewed: the lease lapses by itself (holder() turns false at its deadline) and another node takes it.
            log.warn("renewing the singleton-jobs lease failed ({}); singleton work pauses on this node until it succeeds",
                    e.getMessage());
            return;
        }
        if (!was && holder()) {
            log.info("this node ({}) now runs the singleton jobs", nodeId);
            // The previous holder may have died before running them: catch up now rather than a whole interval later.
            for (Job job : jobs) runner.execute(() -> runIfHolder(job));
        } else if (was && !holder()) {
            log.info("another node runs the singleton jobs now");
        }
    }

    private void runIfHolder(Job job) {
        if (!holder()) return;
        try {
            job.work().run();
        } catch (RuntimeException e) {
            log.error("the {} job failed; it runs again at its next interval", job.name(), e);
        }
    }

    /** Stops running jobs and gives the lease up, so another node takes the work without waiting for it to expire. */
    @Override
    public void close() {
        runner.shutdownNow();
        lease.shutdownNow();
        try {
            lease.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (heldUntilNanos != 0) {
            heldUntilNanos = 0;
            try {
                store.write(tx -> {
                    tx.leases().release(LEASE, nodeId);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("giving up the singleton-jobs lease failed ({}); another node takes it when it expires", e.getMessage());
            }
        }
    }
}
