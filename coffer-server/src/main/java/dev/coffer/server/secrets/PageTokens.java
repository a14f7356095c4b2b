package dev.coffer.server.secrets;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Opaque NextToken values. A token names the position after which the next page starts
 * (the sort key of the last item returned), so pages stay correct when items are added
 * or removed between calls.
 */
final class PageTokens {
    private PageTokens() {}

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + position).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("v1:")) return text.substring(3);
        } catch (IllegalArgumentException e) {
            // fall through: not one of ours
        }
        throw new ServiceException(ErrorCode.InvalidNextTokenException, "The NextToken value is invalid.");
    }

    /** One page of an ordered list, and the token for the next page (null on the last). */
    record Page<T>(List<T> items, String nextToken) {}

    /**
     * The page of {@code ordered} that starts after the item whose position is named by
     * {@code token} (the first page when the token is null; an empty page when that item is gone).
     */
    static <T> Page<T> page(List<T> ordered, Function<T, String> position, String token, int limit) {
        int start = 0;
        if (token != null) {
            String after = decode(token);
            start = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (position.apply(ordered.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = Math.min(ordered.size(), start + limit);
        String next = end < ordered.size() ? encode(position.apply(ordered.get(end - 1))) : null;
        return new Page<>(ordered.subList(start, end), next);
    }
}
