package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Checks a JSON 1.1 request body against its operation's input shape before any service code
 * sees it, failing exactly as AWS's request framework does, so clients get the same error
 * codes and messages from Coffer as from AWS:
 * <ol>
 *   <li>The body must be a JSON object. An array fails with {@code SerializationException}
 *       "Start of list found where not expected"; any other non-object body (null, a string,
 *       a number) fails with a {@code SerializationException} that has no message, as AWS
 *       sends none.</li>
 *   <li>Every member the model knows must have a JSON type its shape can be read from, or the
 *       request fails with {@code SerializationException} (see {@link WireTypeChecker}).</li>
 *   <li>Every constraint the model gives must hold, or the request fails with one
 *       {@code ValidationException} listing every violation:
 *       "2 validation errors detected: &lt;first&gt;; &lt;second&gt;" (see
 *       {@link ConstraintChecker}).</li>
 * </ol>
 * Members the model does not know are ignored, as AWS ignores them so that newer clients work
 * with older servers. An explicit JSON null is treated as an absent member. The value of a
 * sensitive member (a secret value, a generated password, a rotation token) never appears in
 * any message.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class InputValidator {
    private final ServiceModel model;
    private final WireTypeChecker types;
    private final ConstraintChecker constraints;

    public InputValidator(ServiceModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.types = new WireTypeChecker(model);
        this.constraints = new ConstraintChecker(model);
    }

    /**
     * @param operation the operation named by {@code X-Amz-Target}, e.g. {@code CreateSecret}
     * @param input     the parsed request body; null or a missing node counts as no body
     * @throws ServiceException {@code UnknownOperationException} (no message) if the model has
     *                          no such operation; {@code SerializationException} or
     *                          {@code ValidationException} as described above
     */
    public void validate(String operation, JsonNode input) {
        if (!model.hasOperation(operation)) {
            throw new ServiceException(ErrorCode.UnknownOperationException, null);
        }
        if (input != null && input.isArray()) {
            throw WireTypeChecker.fail(WireTypeChecker.LIST_NOT_EXPECTED);
        }
        if (input == null || !input.isObject()) {
            throw WireTypeChecker.fail(null);
        }
        Shape shape = model.inputShape(operation).orElse(null);
        if (shape == null) {
            return;
        }
        types.check(shape, false, input);
        List<Violation> violations = constraints.check(shape, input);
        if (!violations.isEmpty()) {
            throw new ServiceException(ErrorCode.ValidationException, message(violations));
        }
    }

    private static String message(List<Violation> violations) {
        int n = violations.size();
        return n + (n == 1 ? " validation error detected: " : " validation errors detected: ")
                + violations.stream().map(Violation::message).collect(Collectors.joining("; "));
    }
}
