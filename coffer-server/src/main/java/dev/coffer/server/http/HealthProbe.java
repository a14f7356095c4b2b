package dev.coffer.server.http;

import java.util.Map;

/**
 * What {@code GET /health/live} and {@code GET /health/ready} report. Live: the process serves HTTP and is
 * not shutting down (an orchestrator restarts a node that is not). Ready: the node can serve API calls now —
 * store reachable, keys loaded (a load balancer sends traffic only to ready nodes; a node that lost its
 * database stops being ready without being restarted, and is ready again when the database is back).
 */
public interface HealthProbe {
    boolean live();

    Readiness readiness();

    /**
     * @param ready  whether the node serves API calls now
     * @param checks each check's name and one-word state, for the operator (never a secret or an address)
     */
    record Readiness(boolean ready, Map<String, String> checks) {}
}
