package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A botocore service model read from the classpath: the protocol metadata, the operations and
 * the shapes with their constraints. Loading checks the whole model (every reference resolves,
 * every type and pattern is understood), so a broken model stops the server at start-up
 * instead of failing a request later. Immutable and safe to share between threads.
 */
public final class ServiceModel {
    private final String targetPrefix;
    private final String signingName;
    private final Map<String, String> inputShapes;
    private final Map<String, Shape> shapes;
    private final Wire wire;

    /**
     * What the Query protocol needs besides the input shapes: the API version, the XML namespace,
     * each operation's output shape and result wrapper, and each modelled error's code, HTTP
     * status and fault side.
     */
    record Wire(String protocol, String apiVersion, String xmlNamespace, Map<String, String> outputShapes,
                Map<String, String> resultWrappers, Map<String, ErrorShape> errors) {}

    /** A modelled error: {@code error.code}, {@code error.httpStatusCode} (400 when absent), sender or receiver fault. */
    record ErrorShape(String code, int httpStatus, boolean senderFault) {}

    private ServiceModel(String targetPrefix, String signingName,
                         Map<String, String> inputShapes, Map<String, Shape> shapes, Wire wire) {
        this.targetPrefix = targetPrefix;
        this.signingName = signingName;
        this.inputShapes = inputShapes;
        this.shapes = shapes;
        this.wire = wire;
    }

    /**
     * Reads a model such as {@code aws-models/secretsmanager-2017-10-17.json}.
     *
     * @throws IllegalArgumentException if the resource does not exist
     * @throws IllegalStateException    if the model is malformed or uses something unsupported
     * @throws UncheckedIOException     if the resource cannot be read or is not JSON
     */
    public static ServiceModel load(String classpathResource) {
        String path = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
        try (InputStream in = ServiceModel.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no such classpath resource: " + classpathResource);
            }
            return from(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service model " + classpathResource, e);
        }
    }

    static ServiceModel from(JsonNode root) {
        JsonNode metadata = root.path("metadata");
        String prefix = metadata.path("targetPrefix").asText(null);
        String signing = metadata.path("signingName").asText(metadata.path("endpointPrefix").asText(null));

        Map<String, Shape> shapes = new LinkedHashMap<>();
        root.path("shapes").properties()
                .forEach(e -> shapes.put(e.getKey(), ShapeReader.read(e.getKey(), e.getValue())));
        Map<String, String> inputs = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, String> wrappers = new LinkedHashMap<>();
        root.path("operations").properties().forEach(e -> {
            JsonNode input = e.getValue().path("input");
            inputs.put(e.getKey(), input.hasNonNull("shape") ? input.get("shape").asText() : null);
            JsonNode output = e.getValue().path("output");
            if (output.hasNonNull("shape")) outputs.put(e.getKey(), output.get("shape").asText());
            if (output.hasNonNull("resultWrapper")) wrappers.put(e.getKey(), output.get("resultWrapper").asText());
        });
        Map<String, ErrorShape> errors = new LinkedHashMap<>();
        root.path("shapes").properties().forEach(e -> {
            if (e.getValue().path("exception").asBoolean(false)) {
                JsonNode error = e.getValue().path("error");
                String code = error.path("code").asText(e.getKey());
                errors.put(code, new ErrorShape(code, error.path("httpStatusCode").asInt(400),
                        error.path("senderFault").asBoolean(error.path("httpStatusCode").asInt(400) < 500)));
            }
        });
        if (inputs.isEmpty()) {
            throw new IllegalStateException("service model has no operations");
        }
        checkReferences(shapes, inputs);
        outputs.forEach((op, output) -> {
            if (!shapes.containsKey(output)) throw new IllegalStateException(op + ": unknown output shape " + output);
        });
        Wire wire = new Wire(metadata.path("protocol").asText("json"), metadata.path("apiVersion").asText(null),
                metadata.path("xmlNamespace").asText(null), Map.copyOf(outputs), Map.copyOf(wrappers), Map.copyOf(errors));
        return new ServiceModel(prefix, signing, Collections.unmodifiableMap(inputs),
                Collections.unmodifiableMap(shapes), wire);
    }

    private static void checkReferences(Map<String, Shape> shapes, Map<String, String> inputs) {
        inputs.forEach((op, input) -> {
            if (input != null && shapes.get(input) == null) {
                throw new IllegalStateException(op + ": unknown input shape " + input);
            }
            if (input != null && shapes.get(input).type() != ShapeType.STRUCTURE) {
                throw new IllegalStateException(op + ": input shape is not a structure");
            }
        });
        for (Shape shape : shapes.values()) {
            for (Member m : shape.members().values()) {
                requireShape(shapes, shape, m);
            }
            for (Member m : new Member[] {shape.element(), shape.key(), shape.value()}) {
                if (m != null) {
                    requireShape(shapes, shape, m);
                }
            }
        }
    }

    private static void requireShape(Map<String, Shape> shapes, Shape owner, Member m) {
        if (!shapes.containsKey(m.target())) {
            throw new IllegalStateException(owner.name() + " refers to unknown shape " + m.target());
        }
    }

    /** The {@code X-Amz-Target} prefix, e.g. {@code secretsmanager}; null for non-JSON protocols. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /** The SigV4 signing name, e.g. {@code secretsmanager}. */
    public String signingName() {
        return signingName;
    }

    /** The operation names, in model order; unmodifiable. */
    public Set<String> operations() {
        return inputShapes.keySet();
    }

    public boolean hasOperation(String name) {
        return name != null && inputShapes.containsKey(name);
    }

    /** The input structure of an operation; empty if it has none or does not exist. */
    Optional<Shape> inputShape(String operation) {
        String name = operation == null ? null : inputShapes.get(operation);
        return name == null ? Optional.empty() : Optional.of(shapes.get(name));
    }

    /** The protocol metadata, output shapes and error shapes. */
    Wire wire() {
        return wire;
    }

    /** The model's {@code metadata.protocol}, e.g. {@code json} or {@code query}. */
    public String protocol() {
        return wire.protocol();
    }

    /** The model's {@code metadata.apiVersion}, e.g. {@code 2010-05-08}. */
    public String apiVersion() {
        return wire.apiVersion();
    }

    /** The output structure of an operation; empty if it has none. */
    Optional<Shape> outputShape(String operation) {
        String name = operation == null ? null : wire.outputShapes().get(operation);
        return name == null ? Optional.empty() : Optional.of(shapes.get(name));
    }

    /** The shape a member refers to; every reference was resolved at load time. */
    Shape shape(Member member) {
        return shapes.get(member.target());
    }
}
