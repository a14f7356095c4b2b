package dev.coffer.server.protocol;

/**
 * Checks a blob member's base64 text the way AWS does and measures it, without keeping the
 * bytes. Only the standard alphabet with {@code =} padding is accepted: no line breaks, no
 * URL-safe characters, a length that is a multiple of 4, and no stray bits in the last
 * character before the padding (so every blob has exactly one accepted spelling).
 *
 * <p>The reasons are worded as AWS words them (recorded by kinesalite against Kinesis,
 * including AWS's own misspelling "dectected").
 */
final class StrictBase64 {
    private StrictBase64() {
    }

    /** Why {@code text} is not canonical base64, or null if it is. */
    static String problem(String text) {
        int length = text.length();
        if (length % 4 != 0) {
            return "Base64 encoded length is expected a multiple of 4 bytes but found: " + length;
        }
        int padding = length == 0 ? 0 : text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        int dataEnd = length - padding;
        for (int i = 0; i < dataEnd; i++) {
            if (sextet(text.charAt(i)) < 0) {
                return "Invalid Base64 character: '" + text.charAt(i) + "'";
            }
        }
        if (padding > 0) {
            int last = sextet(text.charAt(dataEnd - 1));
            int unusedBits = padding == 2 ? 0x0F : 0x03;
            if ((last & unusedBits) != 0) {
                return "Invalid last non-pad Base64 character dectected";
            }
        }
        return null;
    }

    /** The number of bytes canonical base64 {@code text} decodes to. */
    static long decodedLength(String text) {
        int length = text.length();
        int padding = length == 0 ? 0 : text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return (long) length / 4 * 3 - padding;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }
}
