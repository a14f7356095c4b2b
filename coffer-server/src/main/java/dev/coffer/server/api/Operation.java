package dev.coffer.server.api;

import java.util.Objects;

/**
 * One API operation as a service offers it: its AWS name, the typed request record the
 * codec decodes into, and the handler. The pipeline dispatches to these; services never
 * see HTTP or wire formats.
 *
 * @param service   the signing name, e.g. {@code secretsmanager}
 * @param name      the AWS operation name, e.g. {@code GetSecretValue}
 * @param readOnly  whether the call changes nothing (CloudTrail's readOnly)
 */
public record Operation<Q, R>(String service, String name, Class<Q> requestType, boolean readOnly, Handler<Q, R> handler) {

    @FunctionalInterface
    public interface Handler<Q, R> {
        R handle(CallContext context, Q request);
    }

    public Operation {
        Objects.requireNonNull(service);
        Objects.requireNonNull(name);
        Objects.requireNonNull(requestType);
        Objects.requireNonNull(handler);
    }

    /** The IAM action that authorizes this operation, e.g. {@code secretsmanager:GetSecretValue}. */
    public String action() {
        return service + ":" + name;
    }

    public R invoke(CallContext context, Object request) {
        return handler.handle(context, requestType.cast(request));
    }
}
