package dev.coffer.server.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the HTTP edge hands it to the pipeline: nothing HTTP-library specific.
 *
 * @param headers every header as (name, value) pairs, names as received
 */
public record ApiRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
                         byte[] body, String sourceIp, String requestId, boolean secureTransport) {

    /** The first value of a header, case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        }
        return null;
    }

    public String headerLower(String name) {
        String v = header(name);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + ", id=" + requestId + "]";
    }
}
