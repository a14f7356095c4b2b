package dev.coffer.server.authz;

import java.time.Instant;

/**
 * What a request says about itself that global condition keys test: where it came from, over
 * what, when, and for which region. Analyses that ask "could this principal ever…" pass
 * {@link #none(Instant)}: keys that are absent are absent, as for a request that lacks them.
 *
 * @param sourceIp        the caller's address, or null
 * @param secureTransport whether TLS carried the request, or null when not known
 * @param region          the region the request is signed for, or null
 */
public record RequestFacts(String sourceIp, Boolean secureTransport, Instant time, String region) {
    public static RequestFacts none(Instant time) {
        return new RequestFacts(null, null, time, null);
    }
}
