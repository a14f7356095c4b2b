package dev.coffer.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AWS Query protocol (IAM, STS), for any service given its model: {@code POST /} with a
 * form-encoded body {@code Action=…&Version=…} and the input flattened by the model
 * ({@link QueryInputReader}); answers in XML in the model's namespace
 * ({@code <OpResponse><OpResult>…</OpResult><ResponseMetadata><RequestId>…}) and errors as
 * {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}
 * with the status of the model's error shape.
 *
 * <p>Which service a request addresses is read from its SigV4 credential scope (the signing
 * name, {@code iam} or {@code sts}), or, for an unsigned request, from {@code Version}, so that
 * an authentication error is already rendered in the addressed service's protocol. Input is
 * checked against the model with the same constraint checker as JSON ({@code ValidationError}
 * in AWS's words), then bound to the operation's request record by Jackson.
 */
public final class QueryProtocol implements WireProtocol {
    public static final String CONTENT_TYPE = "text/xml";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ObjectMapper mapper;
    private final Map<String, Service> services = new LinkedHashMap<>();

    private record Service(ServiceModel model, QueryInputReader reader, ConstraintChecker constraints,
                           XmlOutputWriter writer) {}

    public QueryProtocol() {
        SimpleModule wire = new SimpleModule("aws-query");
        wire.addSerializer(Instant.class, new IsoInstantSerializer());
        mapper = JsonMapper.builder()
                .addModule(wire)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    /** Serves a Query service, addressed by its model's signing name. */
    public QueryProtocol withModel(ServiceModel model) {
        if (!"query".equals(model.protocol())) {
            throw new IllegalArgumentException(model.signingName() + " is not a Query service");
        }
        services.put(model.signingName(), new Service(model, new QueryInputReader(model), new ConstraintChecker(model),
                new XmlOutputWriter(model)));
        return this;
    }

    @Override
    public boolean claims(ApiRequest request) {
        String type = request.headerLower("Content-Type");
        return request.header("X-Amz-Target") == null && type != null && type.startsWith(FORM);
    }

    @Override
    public Target target(ApiRequest request) {
        QueryForm form = QueryForm.parse(request.body());
        String version = form.get("Version");
        String scoped = scopeService(request.header("Authorization"));
        String service = null;
        if (scoped != null) {
            service = services.containsKey(scoped) ? scoped : null;
        } else {
            for (Service s : services.values()) {
                if (s.model().apiVersion().equals(version)) service = s.model().signingName();
            }
        }
        return new Target(service, form.get("Action"), version);
    }

    /** The service of a SigV4 credential scope ({@code Credential=AKID/date/region/service/aws4_request}). */
    static String scopeService(String authorization) {
        if (authorization == null) return null;
        int at = authorization.indexOf("Credential=");
        if (at < 0) return null;
        int end = at + "Credential=".length();
        while (end < authorization.length() && authorization.charAt(end) != ',' && authorization.charAt(end) != ' ') end++;
        String[] parts = authorization.substring(at + "Credential=".length(), end).split("/");
        return parts.length == 5 ? parts[3] : null;
    }

    @Override
    public Object decode(Target target, Operation<?, ?> operation, ApiRequest request) {
        Service service = services.get(target.signingName());
        Shape input = service.model().inputShape(operation.name()).orElse(null);
        if (input == null) return bind(mapper.createObjectNode(), operation);
        ObjectNode tree = service.reader().read(input, QueryForm.parse(request.body()));
        List<Violation> violations = service.constraints().check(input, tree);
        if (!violations.isEmpty()) {
            int n = violations.size();
            throw new ServiceException(ErrorCode.ValidationException, n
                    + (n == 1 ? " validation error detected: " : " validation errors detected: ")
                    + String.join("; ", violations.stream().map(Violation::message).toList()));
        }
        return bind(tree, operation);
    }

    private Object bind(JsonNode tree, Operation<?, ?> operation) {
        try {
            return mapper.treeToValue(tree, operation.requestType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.SerializationException, "Request could not be read as "
                    + operation.name() + " input.");
        }
    }

    @Override
    public Encoded encodeResult(Target target, Operation<?, ?> operation, Object result, String requestId) {
        Service service = services.get(target.signingName());
        String op = operation.name();
        StringBuilder xml = new StringBuilder(512);
        xml.append('<').append(op).append("Response xmlns=\"").append(service.model().wire().xmlNamespace()).append("\">");
        Shape output = service.model().outputShape(op).orElse(null);
        if (output != null && result != null) {
            String wrapper = service.model().wire().resultWrappers().get(op);
            if (wrapper != null) xml.append('<').append(wrapper).append('>');
            service.writer().members(output, mapper.valueToTree(result), xml);
            if (wrapper != null) xml.append("</").append(wrapper).append('>');
        }
        xml.append("<ResponseMetadata><RequestId>");
        XmlOutputWriter.escape(requestId, xml);
        xml.append("</RequestId></ResponseMetadata></").append(op).append("Response>");
        return new Encoded(200, xml.toString().getBytes(StandardCharsets.UTF_8), CONTENT_TYPE, null);
    }

    @Override
    public Encoded encodeError(Target target, ServiceException error, String requestId) {
        Service service = target == null ? null : services.get(target.signingName());
        String code = QueryErrors.wireCode(error.code());
        Integer status = QueryErrors.sharedStatus(code);
        boolean sender = true;
        ServiceModel.ErrorShape modelled = service == null ? null : service.model().wire().errors().get(code);
        if (modelled != null) {
            status = modelled.httpStatus();
            sender = modelled.senderFault();
        }
        if (status == null) status = 400;
        if (status >= 500) sender = false;
        StringBuilder xml = new StringBuilder(256);
        xml.append("<ErrorResponse");
        if (service != null) xml.append(" xmlns=\"").append(service.model().wire().xmlNamespace()).append('"');
        xml.append("><Error><Type>").append(sender ? "Sender" : "Receiver").append("</Type><Code>").append(code)
                .append("</Code>");
        if (error.getMessage() != null) {
            xml.append("<Message>");
            XmlOutputWriter.escape(error.getMessage(), xml);
            xml.append("</Message>");
        }
        xml.append("</Error><RequestId>");
        XmlOutputWriter.escape(requestId, xml);
        xml.append("</RequestId></ErrorResponse>");
        return new Encoded(status, xml.toString().getBytes(StandardCharsets.UTF_8), CONTENT_TYPE, null);
    }

    @Override
    public JsonNode auditParameters(Target target, Operation<?, ?> operation, Object request) {
        Service service = services.get(target.signingName());
        return service == null || request == null ? null : AuditView.of(service.model(),
                service.model().inputShape(operation.name()).orElse(null), mapper.valueToTree(request));
    }

    @Override
    public JsonNode auditResponse(Target target, Operation<?, ?> operation, Object result) {
        Service service = services.get(target.signingName());
        return service == null || result == null ? null : AuditView.of(service.model(),
                service.model().outputShape(operation.name()).orElse(null), mapper.valueToTree(result));
    }

    @Override
    public String wireErrorCode(ServiceException error) {
        return QueryErrors.wireCode(error.code());
    }

    /** As IAM answers: "Could not find operation Foo for version 2010-05-08". */
    @Override
    public ServiceException unknownOperation(Target target) {
        return new ServiceException(ErrorCode.UnknownOperationException,
                "Could not find operation " + target.operation() + " for version " + target.version());
    }

    /** Results carry {@link Instant}s; Query sends ISO 8601 to the second. */
    private static final class IsoInstantSerializer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        IsoInstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

}
