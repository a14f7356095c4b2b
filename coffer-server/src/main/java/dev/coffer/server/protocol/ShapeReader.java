package dev.coffer.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one botocore shape definition into a {@link Shape}. Patterns are compiled here, once,
 * so a model with a pattern Java cannot compile fails at load time, never on a request.
 */
final class ShapeReader {
    private ShapeReader() {
    }

    static Shape read(String name, JsonNode json) {
        ShapeType type = ShapeType.of(text(json, "type", name));
        Map<String, Member> members = new LinkedHashMap<>();
        json.path("members").properties()
                .forEach(e -> members.put(e.getKey(), member(e.getKey(), e.getValue(), name)));
        Set<String> required = new LinkedHashSet<>();
        json.path("required").forEach(r -> required.add(r.asText()));
        for (String r : required) {
            if (!members.containsKey(r)) {
                throw new IllegalStateException(name + " requires unknown member " + r);
            }
        }
        List<String> enumValues = new ArrayList<>();
        json.path("enum").forEach(v -> enumValues.add(v.asText()));
        String patternText = json.hasNonNull("pattern") ? json.get("pattern").asText() : null;
        return new Shape(
                name,
                type,
                Collections.unmodifiableMap(members),
                Collections.unmodifiableSet(required),
                type == ShapeType.LIST ? member(null, json.path("member"), name) : null,
                type == ShapeType.MAP ? member(null, json.path("key"), name) : null,
                type == ShapeType.MAP ? member(null, json.path("value"), name) : null,
                number(json, "min"),
                number(json, "max"),
                patternText == null ? null : compile(patternText, name),
                patternText,
                List.copyOf(enumValues),
                json.path("sensitive").asBoolean(false));
    }

    private static Member member(String memberName, JsonNode ref, String owner) {
        if (!ref.hasNonNull("shape")) {
            throw new IllegalStateException(owner + ": reference without a shape: " + ref);
        }
        return new Member(memberName, ref.get("shape").asText(), ref.path("sensitive").asBoolean(false));
    }

    private static BigDecimal number(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new IllegalStateException(field + " is not a number: " + n);
        }
        return n.decimalValue();
    }

    private static Pattern compile(String pattern, String shape) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(shape + ": pattern does not compile: " + pattern, e);
        }
    }

    private static String text(JsonNode json, String field, String shape) {
        JsonNode n = json.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalStateException(shape + ": missing " + field);
        }
        return n.asText();
    }
}
