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

    private ServiceModel(String targetPrefix, String signingName,
                         Map<String, String> inputShapes, Map<String, Shape> shapes) {
        this.targetPrefix = targetPrefix;
        this.signingName = signingName;
        this.inputShapes = inputShapes;
        this.shapes = shapes;
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
        root.path("operations").properties().forEach(e -> {
            JsonNode input = e.getValue().path("input");
            inputs.put(e.getKey(), input.hasNonNull("shape") ? input.get("shape").asText() : null);
        });
        if (inputs.isEmpty()) {
            throw new IllegalStateException("service model has no operations");
        }
        checkReferences(shapes, inputs);
        return new ServiceModel(prefix, signing, Collections.unmodifiableMap(inputs),
                Collections.unmodifiableMap(shapes));
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

    /** The shape a member refers to; every reference was resolved at load time. */
    Shape shape(Member member) {
        return shapes.get(member.target());
    }
}
