package dev.coffer.server.bootstrap;

import dev.coffer.server.cluster.SingletonJobs;
import dev.coffer.server.http.HealthProbe;
import dev.coffer.server.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A node's health: live while it serves HTTP and is not shutting down; ready while, besides, its store
 * answers. The keyring is opened before the edge starts, so a serving node always has its keys loaded.
 * The singleton-jobs line tells an operator which node runs the cluster's singleton work.
 */
final class NodeHealth implements HealthProbe {
    private final BooleanSupplier running;
    private final Store store;
    private final SingletonJobs singletons;

    NodeHealth(BooleanSupplier running, Store store, SingletonJobs singletons) {
        this.running = running;
        this.store = store;
        this.singletons = singletons;
    }

    @Override
    public boolean live() {
        return running.getAsBoolean();
    }

    @Override
    public Readiness readiness() {
        boolean live = live();
        boolean storeOk = live && store.healthy();
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("store", storeOk ? "ok" : "unreachable");
        checks.put("keys", "loaded");
        checks.put("singletonJobs", singletons.holder() ? "running here" : "standby");
        return new Readiness(live && storeOk, checks);
    }
}
