package dev.coffer.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding as SigV4 uses it: everything except the unreserved characters
 * {@code A-Z a-z 0-9 - _ . ~} is encoded as {@code %XY} (uppercase hex) of its UTF-8 bytes. This is what the AWS SDK's
 * {@code SdkHttpUtils.urlEncode} produces, so canonical strings built here match the SDK's byte for byte.
 */
final class UriEncoding {

    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private UriEncoding() {
    }

    /** Percent-encodes {@code s}; with {@code keepSlashes}, '/' is left as is (for paths). */
    static String encode(String s, boolean keepSlashes) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            boolean keep = isUnreserved(b) || (keepSlashes && b == '/');
            if (out == null) {
                if (keep) {
                    continue;
                }
                out = new StringBuilder(utf8.length + 16);
                out.append(s, 0, i); // bytes 0..i-1 were all ASCII, so they are the first i chars of s
            }
            if (keep) {
                out.append((char) b);
            } else {
                out.append('%').append((char) HEX_UPPER[b >>> 4]).append((char) HEX_UPPER[b & 0x0f]);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * Decodes {@code %XY} escapes as UTF-8 and, with {@code plusIsSpace}, '+' as a space (as the AWS SDK reads query
     * strings). A '%' not followed by two hex digits is kept literally rather than rejected; invalid UTF-8 becomes
     * U+FFFD.
     */
    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
                bytes.write(hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
                i++;
            } else {
                int end = i + (Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1);
                bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
            || b == '-' || b == '_' || b == '.' || b == '~';
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
