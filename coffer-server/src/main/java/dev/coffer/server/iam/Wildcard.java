package dev.coffer.server.iam;

/**
 * Wildcard matching without regular expressions. A pattern is compiled once into an int array
 * of "codes": a code {@code >= 0} is a literal character, {@link #STAR} matches any run of
 * characters (including none) and {@link #QUESTION} any single character. Literal characters
 * that came from a policy variable or an escape ({@code ${*}}) are plain codes, so they never
 * act as wildcards.
 *
 * <p>Two shapes of matching:
 * <ul>
 *   <li>{@link #matches(int[], String, boolean)}: the whole string (StringLike, Action);</li>
 *   <li>{@link #matchesArn(int[], String)}: IAM's ARN matching (Resource, ArnLike, ArnEquals):
 *       the six colon-separated parts {@code arn:partition:service:region:account:resource} are
 *       matched part by part, so a wildcard in the region never eats into the account; the last
 *       part the pattern gives is matched against the rest of the value, colons included, so
 *       {@code arn:aws:s3:::*} and {@code arn:aws:*} work as IAM documents ("If the * wildcard is
 *       the last character of a resource ARN segment, it can expand to match beyond the colon
 *       boundaries"). {@code *} alone matches everything.</li>
 * </ul>
 * Matching allocates nothing.
 */
final class Wildcard {
    static final int STAR = -1;
    static final int QUESTION = -2;

    private Wildcard() {}

    /** Compiles text in which every {@code *} and {@code ?} is a wildcard. */
    static int[] compile(String pattern, boolean lowerCase) {
        int[] codes = new int[pattern.length()];
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            codes[i] = c == '*' ? STAR : c == '?' ? QUESTION : lowerCase ? Character.toLowerCase(c) : c;
        }
        return codes;
    }

    static boolean isMatchAll(int[] codes) {
        return codes.length == 1 && codes[0] == STAR;
    }

    static boolean hasWildcard(int[] codes) {
        for (int c : codes) if (c < 0) return true;
        return false;
    }

    /** The whole value against the whole pattern; with ignoreCase the pattern must be compiled lower-case. */
    static boolean matches(int[] p, String value, boolean ignoreCase) {
        return matches(p, 0, p.length, value, 0, value.length(), ignoreCase);
    }

    /** IAM's segment-wise ARN matching (see the class comment). Case-sensitive. */
    static boolean matchesArn(int[] p, String value) {
        if (isMatchAll(p)) return true;
        int ps = 0;
        int vs = 0;
        for (int segment = 0; segment < 6; segment++) {
            int pe = segment == 5 ? p.length : indexOf(p, ':', ps);
            if (pe < 0) return matches(p, ps, p.length, value, vs, value.length(), false);
            int ve = segment == 5 ? value.length() : value.indexOf(':', vs);
            if (ve < 0) return false;
            if (!matches(p, ps, pe, value, vs, ve, false)) return false;
            ps = pe + 1;
            vs = ve + 1;
        }
        return true;
    }

    private static int indexOf(int[] p, int code, int from) {
        for (int i = from; i < p.length; i++) if (p[i] == code) return i;
        return -1;
    }

    /** Classic greedy match with one backtrack point: linear in practice, O(n·m) at worst. */
    static boolean matches(int[] p, int pFrom, int pTo, String s, int sFrom, int sTo, boolean ignoreCase) {
        int pi = pFrom;
        int si = sFrom;
        int starP = -1;
        int starS = 0;
        while (si < sTo) {
            if (pi < pTo) {
                int code = p[pi];
                if (code == STAR) {
                    starP = pi++;
                    starS = si;
                    continue;
                }
                if (code == QUESTION || same(code, s.charAt(si), ignoreCase)) {
                    pi++;
                    si++;
                    continue;
                }
            }
            if (starP < 0) return false;
            pi = starP + 1;
            si = ++starS;
        }
        while (pi < pTo && p[pi] == STAR) pi++;
        return pi == pTo;
    }

    private static boolean same(int code, char c, boolean ignoreCase) {
        return code == c || (ignoreCase && code == Character.toLowerCase(c));
    }
}
