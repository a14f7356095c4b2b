package dev.coffer.server.iam;

/**
 * An IPv4 or IPv6 CIDR block ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a bare address)
 * for IpAddress / NotIpAddress. Addresses are parsed here, never through {@code InetAddress}
 * (which may resolve names). An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) counts as
 * its IPv4 address.
 */
final class IpRange {
    private final boolean v6;
    private final long hi;
    private final long lo;
    private final int prefix;

    private IpRange(boolean v6, long hi, long lo, int prefix) {
        this.v6 = v6;
        this.prefix = prefix;
        this.hi = v6 ? hi & mask(prefix, 0) : 0;
        this.lo = v6 ? lo & mask(prefix, 64) : lo & (prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL);
    }

    /** Parses a CIDR or an address; null when it is neither. */
    static IpRange parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        long[] address = parseAddress(slash < 0 ? s : s.substring(0, slash));
        if (address == null) return null;
        boolean v6 = address[2] == 6;
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
            prefix = Integer.parseInt(p);
            if (prefix > max) return null;
        }
        return new IpRange(v6, address[0], address[1], prefix);
    }

    /** Whether the address (as the request gives aws:SourceIp) is in this block; false for text that is no address. */
    boolean contains(String address) {
        long[] a = parseAddress(address);
        if (a == null || (a[2] == 6) != v6) return false;
        if (!v6) {
            long m = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            return (a[1] & m) == lo;
        }
        return (a[0] & mask(prefix, 0)) == hi && (a[1] & mask(prefix, 64)) == lo;
    }

    /** The mask of the 64 bits starting at bit {@code offset} for a prefix length. */
    private static long mask(int prefix, int offset) {
        int bits = Math.max(0, Math.min(64, prefix - offset));
        return bits == 0 ? 0 : bits == 64 ? -1L : -1L << (64 - bits);
    }

    /** {hi, lo, family(4|6)} or null. */
    static long[] parseAddress(String s) {
        if (s.indexOf(':') < 0) {
            long v4 = parseV4(s, 0, s.length());
            return v4 < 0 ? null : new long[] {0, v4, 4};
        }
        long[] v6 = parseV6(s);
        if (v6 == null) return null;
        if (v6[0] == 0 && (v6[1] >>> 32) == 0xFFFFL) return new long[] {0, v6[1] & 0xFFFFFFFFL, 4};
        return new long[] {v6[0], v6[1], 6};
    }

    private static long parseV4(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int octet = 0;
            while (i < to && Character.isDigit(s.charAt(i)) && i - start < 3) octet = octet * 10 + (s.charAt(i++) - '0');
            if (i == start || octet > 255) return -1;
            value = (value << 8) | octet;
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') return -1;
                i++;
            }
        }
        return i == to ? value : -1;
    }

    private static long[] parseV6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            if (count >= 8) return null;
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) value = value * 16 + Character.digit(s.charAt(i++), 16);
            if (i < n && s.charAt(i) == '.') {
                long v4 = parseV4(s, start, n);
                if (v4 < 0 || count > 6) return null;
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            if (i == start) return null;
            groups[count++] = value;
            if (i == n) break;
            if (s.charAt(i) != ':') return null;
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) return null;
                gap = count;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        int[] full = new int[8];
        if (gap < 0) {
            if (count != 8) return null;
            full = groups;
        } else {
            if (count > 7) return null;
            for (int k = 0; k < gap; k++) full[k] = groups[k];
            int tail = count - gap;
            for (int k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | full[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | full[k];
        return new long[] {hi, lo};
    }
}
