package dev.coffer.server.iam;

import java.util.List;
import java.util.Map;

/**
 * The request's condition keys, looked up case-insensitively as IAM does. The exact spelling is
 * tried first (callers and policies almost always spell keys as AWS does), then a scan that
 * ignores case; nothing is copied or allocated per request.
 */
final class RequestContext {
    private final Map<String, List<String>> keys;

    RequestContext(Map<String, List<String>> keys) {
        this.keys = keys;
    }

    /** The key's values, or null when the request does not carry it (an empty list counts as absent). */
    List<String> values(String key) {
        List<String> values = keys.get(key);
        if (values == null) {
            for (Map.Entry<String, List<String>> e : keys.entrySet()) {
                if (e.getKey().equalsIgnoreCase(key)) {
                    values = e.getValue();
                    break;
                }
            }
        }
        return values == null || values.isEmpty() ? null : values;
    }

    /** A single-valued key's value for a policy variable; null when absent or multi-valued. */
    String single(String key) {
        List<String> values = values(key);
        return values != null && values.size() == 1 ? values.get(0) : null;
    }
}
