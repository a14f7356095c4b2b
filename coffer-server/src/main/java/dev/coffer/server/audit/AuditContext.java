package dev.coffer.server.audit;

import dev.coffer.server.iam.Principal;

/**
 * The event of the call the current thread is serving. The request pipeline makes it current around the
 * call (a thread-local: every request has its own virtual thread); the audited store appends it inside
 * the call's write transaction, and services may tell it what only they know.
 */
public final class AuditContext {
    private static final ThreadLocal<PendingEvent> CURRENT = new ThreadLocal<>();

    private AuditContext() {}

    /** The event current for a call, until closed. */
    public static final class Scope implements AutoCloseable {
        private final PendingEvent outer;

        private Scope(PendingEvent outer) {
            this.outer = outer;
        }

        @Override
        public void close() {
            restore(outer);
        }
    }

    /** Makes {@code event} current on this thread until the scope closes. */
    public static Scope open(PendingEvent event) {
        return new Scope(bind(event));
    }

    /** Makes {@code event} current on this thread; returns what was current, for {@link #restore}. */
    static PendingEvent bind(PendingEvent event) {
        PendingEvent outer = CURRENT.get();
        CURRENT.set(event);
        return outer;
    }

    static void restore(PendingEvent outer) {
        if (outer == null) CURRENT.remove();
        else CURRENT.set(outer);
    }

    static PendingEvent current() {
        return CURRENT.get();
    }

    /**
     * Names who an unsigned call is, once the service has verified it: a web identity presenting its token to
     * AssumeRoleWithWebIdentity, recorded as CloudTrail's {@code WebIdentityUser} (principal id
     * {@code provider:audience:subject}, user name the subject, identity provider). No-op outside a call.
     */
    public static void identifiedAsWebIdentity(String accountId, String provider, String audience, String subject) {
        PendingEvent event = CURRENT.get();
        if (event == null) return;
        Principal.Session token = new Principal.Session(null, subject, null, null, null, null, null, null, null, provider);
        event.identified(new Principal(accountId, null, provider + ":" + audience + ":" + subject, null,
                Principal.Kind.FEDERATED, token));
    }

    /**
     * Names the secret the current call acted on, by its real ARN and name, when authorization could only
     * guess it (CreateSecret's ARN has its random suffix only once the secret exists). No-op outside a call.
     */
    public static void actedOnSecret(String arn, String name) {
        PendingEvent event = CURRENT.get();
        if (event != null && arn != null) event.actedOnSecret(arn, name);
    }
}
