package dev.coffer.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS JSON 1.1 codec: request bodies to typed request records (after checking them
 * against the service model, as AWS does), results to JSON, errors to the AWS error shape.
 *
 * <p>On the wire, timestamps are epoch seconds (with milliseconds as a fraction), blobs
 * are base64, absent members are omitted. Errors are {@code {"__type": code, "Message": text}}
 * with the status from {@link ErrorCatalogue}.
 */
public final class JsonProtocol implements WireProtocol {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final ObjectMapper mapper;
    private final Map<String, InputValidator> validators = new LinkedHashMap<>();
    private final Map<String, ServiceModel> models = new LinkedHashMap<>();
    private final Map<String, String> signingNameByPrefix = new LinkedHashMap<>();

    public JsonProtocol() {
        SimpleModule wire = new SimpleModule("aws-json-1.1");
        wire.addSerializer(Instant.class, new EpochSecondsSerializer());
        // Jackson recycles its parse/write buffers per thread by default; every request runs on a new
        // virtual thread, so that recycled nothing and allocated ~30% of all bytes. A shared pool does.
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
        mapper = JsonMapper.builder(factory)
                .addModule(wire)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    /** Registers a service's model so its requests are checked before they are decoded. */
    public JsonProtocol withModel(String targetPrefix, ServiceModel model) {
        models.put(targetPrefix, model);
        validators.put(targetPrefix, new InputValidator(model));
        signingNameByPrefix.put(targetPrefix, model.signingName());
        return this;
    }

    /** Everything that is not a form-encoded Query request is read as JSON 1.1 (the catch-all). */
    @Override
    public boolean claims(ApiRequest request) {
        return true;
    }

    @Override
    public Target target(ApiRequest request) {
        String target = request.header("X-Amz-Target");
        int dot = target == null ? -1 : target.lastIndexOf('.');
        String prefix = dot < 0 ? null : target.substring(0, dot);
        String operation = dot < 0 ? target : target.substring(dot + 1);
        return new Target(prefix == null ? null : signingNameByPrefix.get(prefix), operation, null);
    }

    @Override
    public Object decode(Target target, Operation<?, ?> operation, ApiRequest request) {
        String prefix = null;
        for (Map.Entry<String, String> e : signingNameByPrefix.entrySet()) {
            if (e.getValue().equals(target.signingName())) prefix = e.getKey();
        }
        return decode(prefix, operation, request.body());
    }

    @Override
    public Encoded encodeResult(Target target, Operation<?, ?> operation, Object result, String requestId) {
        return encodeResult(result);
    }

    @Override
    public Encoded encodeError(Target target, ServiceException error, String requestId) {
        return encodeError(error);
    }

    /** AWS answers an unknown or missing target with the bare code and no message. */
    @Override
    public ServiceException unknownOperation(Target target) {
        return new ServiceException(ErrorCode.UnknownOperationException, null);
    }

    @Override
    public JsonNode auditParameters(Target target, Operation<?, ?> operation, Object request) {
        ServiceModel model = modelOf(target.signingName());
        return model == null || request == null ? null
                : AuditView.of(model, model.inputShape(operation.name()).orElse(null), mapper.valueToTree(request));
    }

    @Override
    public JsonNode auditResponse(Target target, Operation<?, ?> operation, Object result) {
        ServiceModel model = modelOf(target.signingName());
        return model == null || result == null ? null
                : AuditView.of(model, model.outputShape(operation.name()).orElse(null), mapper.valueToTree(result));
    }

    private ServiceModel modelOf(String signingName) {
        for (Map.Entry<String, String> e : signingNameByPrefix.entrySet()) {
            if (e.getValue().equals(signingName)) return models.get(e.getKey());
        }
        return null;
    }

    public boolean knows(String targetPrefix, String operation) {
        ServiceModel model = models.get(targetPrefix);
        return model != null && model.hasOperation(operation);
    }

    /** Parses, validates and binds a request body. Empty bodies count as {@code {}}. */
    public Object decode(String targetPrefix, Operation<?, ?> operation, byte[] body) {
        JsonNode tree = parse(body);
        InputValidator validator = validators.get(targetPrefix);
        if (validator != null) validator.validate(operation.name(), tree);
        try {
            return mapper.treeToValue(tree, operation.requestType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.SerializationException, "Request body could not be read as "
                    + operation.name() + " input.");
        }
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) return JsonNodeFactory.instance.objectNode();
        try {
            JsonNode tree = mapper.readTree(body);
            return tree == null ? JsonNodeFactory.instance.objectNode() : tree;
        } catch (IOException e) {
            // Jackson's message can quote the body, and the body can hold a secret: never pass it on.
            throw new ServiceException(ErrorCode.SerializationException, "Request body is not valid JSON.");
        }
    }

    public Encoded encodeResult(Object result) {
        try {
            return new Encoded(200, mapper.writeValueAsBytes(result), CONTENT_TYPE, null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + result.getClass().getSimpleName(), e);
        }
    }

    public Encoded encodeError(ServiceException error) {
        var body = JsonNodeFactory.instance.objectNode();
        body.put("__type", error.code().wireName());
        if (error.getMessage() != null) body.put("Message", error.getMessage()); // AWS omits it for some Coral errors
        try {
            return new Encoded(ErrorCatalogue.httpStatus(error.code()), mapper.writeValueAsBytes(body), CONTENT_TYPE,
                    error.code().wireName());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Epoch seconds with a millisecond fraction, as AWS JSON services send timestamps. */
    private static final class EpochSecondsSerializer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        EpochSecondsSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3));
        }
    }
}
