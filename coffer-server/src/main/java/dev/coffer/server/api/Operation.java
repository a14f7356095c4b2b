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
 * @param target    what the call acts on, for authorization; by default no particular resource
 * @param unsigned  AWS serves it without a signature (AssumeRoleWithWebIdentity: the caller proves
 *                  who it is with the token in the request); the service then decides trust itself
 * @param anySignedCaller AWS answers any authenticated caller without consulting policies
 *                  (GetCallerIdentity: "no permissions are required", and a Deny cannot stop it)
 */
public record Operation<Q, R>(String service, String name, Class<Q> requestType, boolean readOnly, Handler<Q, R> handler,
                              AccessTarget.Resolver<Q> target, boolean unsigned, boolean anySignedCaller) {

    @FunctionalInterface
    public interface Handler<Q, R> {
        R handle(CallContext context, Q request);
    }

    public Operation {
        Objects.requireNonNull(service);
        Objects.requireNonNull(name);
        Objects.requireNonNull(requestType);
        Objects.requireNonNull(handler);
        if (target == null) target = (context, request) -> AccessTarget.anyResource(context.accountId());
    }

    public Operation(String service, String name, Class<Q> requestType, boolean readOnly, Handler<Q, R> handler) {
        this(service, name, requestType, readOnly, handler, null, false, false);
    }

    /** The same operation, authorized against the resource the resolver finds. */
    public Operation<Q, R> withTarget(AccessTarget.Resolver<Q> resolver) {
        return new Operation<>(service, name, requestType, readOnly, handler, resolver, unsigned, anySignedCaller);
    }

    /** The same operation, served to unsigned callers too. */
    public Operation<Q, R> servedUnsigned() {
        return new Operation<>(service, name, requestType, readOnly, handler, target, true, anySignedCaller);
    }

    /** The same operation, answered for every authenticated caller without a policy decision. */
    public Operation<Q, R> servedToAnySignedCaller() {
        return new Operation<>(service, name, requestType, readOnly, handler, target, unsigned, true);
    }

    /** The target of a decoded request. */
    public AccessTarget targetOf(CallContext context, Object request) {
        return target.resolve(context, requestType.cast(request));
    }

    /** The IAM action that authorizes this operation, e.g. {@code secretsmanager:GetSecretValue}. */
    public String action() {
        return service + ":" + name;
    }

    public R invoke(CallContext context, Object request) {
        return handler.handle(context, requestType.cast(request));
    }
}
