package dev.coffer.server.request;

import dev.coffer.server.api.AccessTarget;
import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.audit.AuditContext;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.PendingEvent;
import dev.coffer.server.auth.SigV4Authenticator;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.protocol.WireProtocol;
import dev.coffer.server.store.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The narrow waist every API call passes through, in one direction:
 * authenticate → route → authorize → decode → dispatch → audit → answer.
 *
 * <p>The request's wire protocol (JSON 1.1 or Query) is chosen first, by the first
 * {@link WireProtocol} that claims it, so that every answer — authentication errors
 * included — is rendered in the protocol of the service addressed. Operations are routed
 * by (signing name, operation name), which the protocol reads from the request.
 *
 * <p>Guarantees: nothing reaches a service without a verified signature and an
 * authorization decision; every call, whatever its outcome, is handed to the audit
 * trail before it is answered — durably: a write's event commits with the write, any other
 * call's event in a group commit the call waits for ({@link AuditLog}) — and if the audit trail
 * refuses the event the caller gets an InternalServiceError instead of the result (fail closed); unexpected
 * failures never leak their details to the caller or a secret value to the log.
 * Services see typed requests and a {@link CallContext}, never HTTP or signatures.
 */
public final class RequestPipeline {
    private static final Logger log = LoggerFactory.getLogger(RequestPipeline.class);

    /** The region of unsigned calls, which carry no credential scope; STS is a global service. */
    private static final String UNSIGNED_REGION = "us-east-1";

    private final SigV4Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuditTrail audit;
    private final List<WireProtocol> protocols;
    private final Map<String, Operation<?, ?>> byAction = new HashMap<>();
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Runnable catchUp;
    private final AuditLog durable;
    private final String deploymentAccountId;

    /** The answer, ready for the HTTP edge. */
    public record Response(int status, byte[] body, String contentType, String errorType) {}

    /**
     * @param protocols the wire protocols, most specific first; the first that claims a request
     *                  reads it, so the last should claim everything (JSON 1.1)
     */
    public RequestPipeline(SigV4Authenticator authenticator, Authorizer authorizer, AuditTrail audit,
                           List<WireProtocol> protocols, List<Operation<?, ?>> operations, MeterRegistry metrics,
                           Clock clock, Runnable catchUp) {
        this(authenticator, authorizer, audit, null, null, protocols, operations, metrics, clock, catchUp);
    }

    /**
     * @param durable             the durable audit trail every call's event is committed to before it is answered;
     *                            null to keep only the access log (for measuring what the trail costs)
     * @param deploymentAccountId the account that receives events no caller can be named for (bad keys)
     * @param catchUp             run before each call: makes every node's acknowledged writes visible here
     */
    public RequestPipeline(SigV4Authenticator authenticator, Authorizer authorizer, AuditTrail audit, AuditLog durable,
                           String deploymentAccountId, List<WireProtocol> protocols, List<Operation<?, ?>> operations,
                           MeterRegistry metrics, Clock clock, Runnable catchUp) {
        this.catchUp = catchUp;
        this.durable = durable;
        this.deploymentAccountId = deploymentAccountId;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.audit = audit;
        this.protocols = List.copyOf(protocols);
        this.metrics = metrics;
        this.clock = clock;
        for (Operation<?, ?> op : operations) {
            if (byAction.put(op.action(), op) != null) throw new IllegalArgumentException("two operations " + op.action());
        }
    }

    public Response handle(ApiRequest request) {
        long started = System.nanoTime();
        MDC.put("requestId", request.requestId());
        WireProtocol protocol = protocols.getLast();
        for (WireProtocol p : protocols) {
            if (p.claims(request)) {
                protocol = p;
                break;
            }
        }
        WireProtocol.Target target = new WireProtocol.Target(null, null, null);
        Operation<?, ?> operation = null;
        Principal principal = null;
        String region = null;
        WireProtocol.Encoded encoded;
        ServiceException failure = null;
        Object result = null;
        PendingEvent event = new PendingEvent(Instant.now(clock), request.requestId(), request.sourceIp(),
                request.header("User-Agent"), deploymentAccountId);
        AuditContext.Scope current = AuditContext.open(event);
        try {
            // Every node's writes acknowledged before now must be what this call sees, cached or not.
            catchUp.run();
            target = protocol.target(request);
            operation = target.signingName() == null || target.operation() == null ? null
                    : byAction.get(target.signingName() + ":" + target.operation());
            event.operation(target.signingName(), operation != null ? operation.name() : target.operation(),
                    operation != null && operation.readOnly());
            if (operation != null) {
                WireProtocol codec = protocol;
                Operation<?, ?> called = operation;
                WireProtocol.Target addressed = target;
                event.responseRenderer(r -> codec.auditResponse(addressed, called, r));
            }
            CallContext context;
            Object typed;
            if (operation != null && operation.unsigned() && request.header("Authorization") == null) {
                // Served unsigned (AssumeRoleWithWebIdentity): the body carries the proof and the
                // service decides trust itself; there is no caller to authorize yet.
                region = UNSIGNED_REGION;
                event.region(region);
                typed = protocol.decode(target, operation, request);
                event.requestParameters(protocol.auditParameters(target, operation, typed));
                context = new CallContext(null, null, region, request.requestId(), request.sourceIp(),
                        request.header("User-Agent"));
            } else {
                SigV4Authenticator.Authenticated who;
                try {
                    who = authenticator.authenticate(request, target.signingName());
                } catch (ServiceException e) {
                    // Recorded under the identity the key claims, so its owner sees what was tried with it.
                    SigV4Authenticator.Claimed claimed = authenticator.claimed(request);
                    event.principal(claimed.principal(), claimed.region());
                    throw e;
                }
                principal = who.principal();
                region = who.region();
                event.principal(principal, region);
                if (operation == null) throw protocol.unknownOperation(target);
                // Decoded before authorizing: what the call acts on (a secret, a role) is in the body.
                typed = protocol.decode(target, operation, request);
                event.requestParameters(protocol.auditParameters(target, operation, typed));
                CallContext call = new CallContext(principal, principal.accountId(), region, request.requestId(),
                        request.sourceIp(), request.header("User-Agent"));
                boolean secure = request.secureTransport();
                context = call.withPermissions((action, resource) -> authorizer.authorize(call, action, resource, secure));
                if (!operation.anySignedCaller()) {
                    AccessTarget acted = operation.targetOf(context, typed);
                    event.target(acted.resourceArn(), acted.resourceAccount(), acted.namedAs());
                    authorizer.authorize(context, operation.action(), acted, request.secureTransport());
                }
            }
            result = operation.invoke(context, typed);
            encoded = protocol.encodeResult(target, operation, result, request.requestId());
        } catch (ServiceException e) {
            failure = e;
            encoded = protocol.encodeError(target, e, request.requestId());
        } catch (StoreException e) {
            failure = storeFailure(e);
            encoded = protocol.encodeError(target, failure, request.requestId());
        } catch (RuntimeException e) {
            log.error("request failed unexpectedly: {}", e.getClass().getName(), e);
            failure = internalError();
            encoded = protocol.encodeError(target, failure, request.requestId());
        } finally {
            current.close();
        }

        long micros = (System.nanoTime() - started) / 1_000;
        try {
            if (durable != null) {
                durable.record(event, failure == null ? event.succeeded(result)
                        : event.failed(protocol.wireErrorCode(failure), failure.getMessage()));
            }
            audit.record(new AuditEvent(Instant.now(clock), request.requestId(),
                    operation != null ? operation.service() + ".amazonaws.com" : null,
                    operation != null ? operation.name() : target.operation(), region, request.sourceIp(),
                    request.header("User-Agent"), principal != null ? principal.arn() : null,
                    principal != null ? principal.accountId() : null, principal != null ? principal.accessKeyId() : null,
                    operation != null && operation.readOnly(), failure != null ? failure.code().name() : null,
                    failure != null ? failure.getMessage() : null, micros));
        } catch (RuntimeException e) {
            log.error("the audit trail refused an event; the request is failed closed", e);
            failure = storeFailure(e);
            encoded = protocol.encodeError(target, failure, request.requestId());
        }
        timer(operation != null ? operation.name() : "unknown", failure == null ? "success" : failure.code().name())
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        MDC.remove("requestId");
        return new Response(encoded.status(), encoded.body(), encoded.contentType(), encoded.errorType());
    }

    /**
     * A failure in the store (or in the audit trail's writes to it): 503 when the database could not be
     * reached — callers retry, here or on another node — and an internal error otherwise.
     */
    private static ServiceException storeFailure(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreException se && se.unavailable()) {
                log.warn("the store is unreachable; answering 503 ({})", se.getMessage());
                return new ServiceException(ErrorCode.ServiceUnavailable,
                        "The request has failed due to a temporary failure of the server.");
            }
        }
        if (e instanceof StoreException) log.error("request failed in the store", e);
        return internalError();
    }

    private static ServiceException internalError() {
        return new ServiceException(ErrorCode.InternalServiceError, "An error occurred on the server side.");
    }

    private Timer timer(String operation, String outcome) {
        return timers.computeIfAbsent(operation + "|" + outcome, k -> Timer.builder("coffer.requests")
                .description("API requests by operation and outcome")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(metrics));
    }
}
