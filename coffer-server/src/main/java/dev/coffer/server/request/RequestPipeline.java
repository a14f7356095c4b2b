package dev.coffer.server.request;

import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.auth.SigV4Authenticator;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.iam.Principal;
import dev.coffer.server.protocol.JsonProtocol;
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
 * <p>Guarantees: nothing reaches a service without a verified signature and an
 * authorization decision; every call, whatever its outcome, is handed to the audit
 * trail before it is answered, and if the audit trail refuses the event the caller
 * gets an InternalServiceError instead of the result (fail closed); unexpected
 * failures never leak their details to the caller or a secret value to the log.
 * Services see typed requests and a {@link CallContext}, never HTTP or signatures.
 */
public final class RequestPipeline {
    private static final Logger log = LoggerFactory.getLogger(RequestPipeline.class);

    private final SigV4Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuditTrail audit;
    private final JsonProtocol json;
    private final Map<String, Operation<?, ?>> byTarget = new HashMap<>();
    private final Map<String, String> signingNameByPrefix = new HashMap<>();
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Clock clock;

    /** The answer, ready for the HTTP edge. */
    public record Response(int status, byte[] body, String contentType, String errorType) {}

    /**
     * @param targetPrefixes the JSON target prefix of each signing name, e.g.
     *                       {@code secretsmanager → secretsmanager}
     */
    public RequestPipeline(SigV4Authenticator authenticator, Authorizer authorizer, AuditTrail audit, JsonProtocol json,
                           Map<String, String> targetPrefixes, List<Operation<?, ?>> operations, MeterRegistry metrics,
                           Clock clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.audit = audit;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        targetPrefixes.forEach((signingName, prefix) -> signingNameByPrefix.put(prefix, signingName));
        Map<String, String> prefixBySigningName = new HashMap<>(targetPrefixes);
        for (Operation<?, ?> op : operations) {
            byTarget.put(prefixBySigningName.get(op.service()) + "." + op.name(), op);
        }
    }

    public Response handle(ApiRequest request) {
        long started = System.nanoTime();
        MDC.put("requestId", request.requestId());
        String target = request.header("X-Amz-Target");
        int dot = target == null ? -1 : target.lastIndexOf('.');
        String prefix = dot < 0 ? null : target.substring(0, dot);
        String operationName = dot < 0 ? target : target.substring(dot + 1);
        Operation<?, ?> operation = target == null ? null : byTarget.get(target);

        Principal principal = null;
        String region = null;
        JsonProtocol.Encoded encoded;
        ServiceException failure = null;
        try {
            SigV4Authenticator.Authenticated who = authenticator.authenticate(request, signingNameByPrefix.get(prefix));
            principal = who.principal();
            region = who.region();
            if (operation == null) throw unknownOperation();
            authorizer.authorize(principal, operation);
            Object typed = json.decode(prefix, operation, request.body());
            CallContext context = new CallContext(principal, principal.accountId(), region, request.requestId(),
                    request.sourceIp(), request.header("User-Agent"));
            encoded = json.encodeResult(operation.invoke(context, typed));
        } catch (ServiceException e) {
            failure = e;
            encoded = json.encodeError(e);
        } catch (RuntimeException e) {
            log.error("request failed unexpectedly: {}", e.getClass().getName(), e);
            failure = internalError();
            encoded = json.encodeError(failure);
        }

        long micros = (System.nanoTime() - started) / 1_000;
        try {
            audit.record(new AuditEvent(Instant.now(clock), request.requestId(),
                    operation != null ? operation.service() + ".amazonaws.com" : null,
                    operation != null ? operation.name() : operationName, region, request.sourceIp(),
                    request.header("User-Agent"), principal != null ? principal.arn() : null,
                    principal != null ? principal.accountId() : null, principal != null ? principal.accessKeyId() : null,
                    operation != null && operation.readOnly(), failure != null ? failure.code().name() : null,
                    failure != null ? failure.getMessage() : null, micros));
        } catch (RuntimeException e) {
            log.error("the audit trail refused an event; the request is failed closed", e);
            failure = internalError();
            encoded = json.encodeError(failure);
        }
        timer(operation != null ? operation.name() : "unknown", failure == null ? "success" : failure.code().name())
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        MDC.remove("requestId");
        return new Response(encoded.status(), encoded.body(), JsonProtocol.CONTENT_TYPE, encoded.errorType());
    }

    /** AWS answers an unknown or missing target with the bare code and no message. */
    private static ServiceException unknownOperation() {
        return new ServiceException(ErrorCode.UnknownOperationException, null);
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
