package dev.coffer.server.protocol;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One shape of a service model, with the constraints the validator enforces. Immutable;
 * the maps and lists keep the model's order, which is the order violations are reported in.
 *
 * <p>{@code min} and {@code max} mean length for strings (Unicode code points), blobs
 * (decoded bytes), lists and maps (entries), and value for numbers.
 *
 * @param members     structure members by wire name, in model order (empty otherwise)
 * @param required    the wire names of required structure members
 * @param element     the list element (null unless a list)
 * @param key         the map key (null unless a map)
 * @param value       the map value (null unless a map)
 * @param pattern     the compiled {@code pattern}, matched against the whole value, or null
 * @param patternText the pattern as the model writes it, for messages
 * @param enumValues  the allowed values of an enum string, in model order (empty if none)
 */
record Shape(
        String name,
        ShapeType type,
        Map<String, Member> members,
        Set<String> required,
        Member element,
        Member key,
        Member value,
        BigDecimal min,
        BigDecimal max,
        Pattern pattern,
        String patternText,
        List<String> enumValues,
        boolean sensitive) {
}
