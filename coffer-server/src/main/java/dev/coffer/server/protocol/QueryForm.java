package dev.coffer.server.protocol;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body as the Query protocol sends it: flat
 * {@code name=value} pairs, UTF-8, {@code +} for space. A name given twice keeps its last value.
 */
record QueryForm(Map<String, String> values) {

    static QueryForm parse(byte[] body) {
        Map<String, String> values = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(name, value);
            } catch (IllegalArgumentException e) {
                // Never quote the body back: it can hold a policy or a password.
                throw new ServiceException(ErrorCode.SerializationException, "The request body is not valid form data.");
            }
        }
        return new QueryForm(Collections.unmodifiableMap(values));
    }

    String get(String name) {
        return values.get(name);
    }
}
