package dev.coffer.server.store;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The numbers behind {@link Store#changeCounter()} and {@link Store#changeCounter(ChangeDomain)}, kept
 * the same way by every engine: moved after a commit and before its writers are answered.
 */
final class ChangeCounters {
    private final AtomicLong all = new AtomicLong();
    private final AtomicLongArray byDomain = new AtomicLongArray(ChangeDomain.values().length);

    /** A commit: the domains its units touched, and whether it committed any unit at all. */
    void committed(Set<ChangeDomain> touched, boolean anyUnit) {
        for (ChangeDomain domain : touched) byDomain.incrementAndGet(domain.ordinal());
        if (anyUnit) all.incrementAndGet();
    }

    /** Everything may have changed (e.g. changes made elsewhere while they could not be followed). */
    void everything() {
        committed(Set.of(ChangeDomain.values()), true);
    }

    long all() {
        return all.get();
    }

    long of(ChangeDomain domain) {
        return byDomain.get(domain.ordinal());
    }
}
