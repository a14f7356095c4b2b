package dev.coffer.server.audit.export;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for a failing sink: the n-th pause in a row is a random time between half and all
 * of min(cap, base × 2ⁿ⁻¹), so several nodes or sinks retrying one receiver spread out instead of knocking together.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private int failures;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    /** Counts a failure and returns how long to pause before the next attempt. */
    long nextPauseMillis() {
        failures++;
        long ceiling = failures > 30 ? capMillis : Math.min(capMillis, baseMillis << (failures - 1));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1);
    }

    /** Failures in a row so far. */
    int failures() {
        return failures;
    }

    void reset() {
        failures = 0;
    }
}
