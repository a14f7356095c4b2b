package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ServiceException;

/**
 * One AWS wire protocol: how a request names its service and operation, how its body becomes
 * a typed request record, and how results and errors become bytes. Two implementations:
 * {@link JsonProtocol} (AWS JSON 1.1, routed by {@code X-Amz-Target}) and {@link QueryProtocol}
 * (AWS Query, form-encoded, routed by the SigV4 scope's service and {@code Action}, answered
 * in XML). The pipeline picks the protocol that {@link #claims} a request and never looks at a
 * body or a wire format itself.
 */
public interface WireProtocol {

    /**
     * What a request addresses, as far as can be told before authentication.
     *
     * @param signingName the service (its SigV4 signing name) or null if no known service
     * @param operation   the operation name as the caller sent it, or null if none
     * @param version     the API version the caller named (Query only), or null
     */
    record Target(String signingName, String operation, String version) {}

    /** A response ready for the HTTP edge. {@code errorType} goes to {@code x-amzn-ErrorType} when not null. */
    record Encoded(int status, byte[] body, String contentType, String errorType) {}

    /** Whether this protocol reads the request (by content type and headers). */
    boolean claims(ApiRequest request);

    Target target(ApiRequest request);

    /** Parses, validates against the service model and binds the request body. */
    Object decode(Target target, Operation<?, ?> operation, ApiRequest request);

    Encoded encodeResult(Target target, Operation<?, ?> operation, Object result, String requestId);

    /** Renders an error in this protocol, addressed to the target's service (which may be unknown). */
    Encoded encodeError(Target target, ServiceException error, String requestId);

    /** The error AWS answers for an operation the service does not have. */
    ServiceException unknownOperation(Target target);

    /**
     * A decoded request as an audit record's {@code requestParameters}: the model's members, CloudTrail-cased,
     * with every sensitive member dropped; null when there is nothing to show.
     */
    default JsonNode auditParameters(Target target, Operation<?, ?> operation, Object request) {
        return null;
    }

    /** A result as an audit record's {@code responseElements}, redacted the same way; null when nothing to show. */
    default JsonNode auditResponse(Target target, Operation<?, ?> operation, Object result) {
        return null;
    }

    /** An error's code as this protocol puts it on the wire (what an audit record's errorCode says). */
    default String wireErrorCode(ServiceException error) {
        return error.code().wireName();
    }
}
