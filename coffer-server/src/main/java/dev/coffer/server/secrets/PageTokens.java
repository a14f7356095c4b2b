package dev.coffer.server.secrets;

import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
}
