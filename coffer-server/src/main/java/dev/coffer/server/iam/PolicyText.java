package dev.coffer.server.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A string from a policy (a Resource, a condition value) with its policy variables compiled.
 *
 * <p>In a {@code 2012-10-17} policy, {@code ${key}} is replaced by the request's value of that
 * condition key (single-valued keys only), {@code ${key, 'default'}} falls back to the default,
 * and {@code ${*}}, {@code ${?}}, {@code ${$}} stand for the literal characters. A variable whose
 * key the request lacks (and that has no default) makes the value match nothing, as AWS says.
 * In a 2008 policy (or one without Version) {@code ${…}} is plain text.
 *
 * <p>Text without variables is resolved once, at parse time; only text with variables does
 * any work per request.
 */
final class PolicyText {
    private final String raw;
    /** Parts: String literal, or Variable. Null when the text has no variables. */
    private final Object[] parts;
    private final String staticText;
    private final int[] staticCodes;
    /** For each literal part, its codes (wildcards active), compiled once. */
    private final int[][] literalCodes;

    private record Variable(String key, String fallback) {}

    /** An escape like {@code ${*}}: the literal character, never a wildcard. */
    private record Escape(char c) {}

    private PolicyText(String raw, Object[] parts) {
        this.raw = raw;
        this.parts = parts;
        if (parts == null) {
            literalCodes = null;
            staticText = raw;
            staticCodes = Wildcard.compile(raw, false);
        } else {
            literalCodes = new int[parts.length][];
            for (int i = 0; i < parts.length; i++) if (parts[i] instanceof String str) literalCodes[i] = Wildcard.compile(str, false);
            if (onlyEscapes(parts)) {
                staticText = render(parts, null);
                staticCodes = codes(null);
            } else {
                staticText = null;
                staticCodes = null;
            }
        }
    }

    static PolicyText of(String raw, boolean substituteVariables) {
        if (!substituteVariables || !raw.contains("${")) return new PolicyText(raw, null);
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            int open = raw.indexOf("${", i);
            int close = open < 0 ? -1 : raw.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                literal.append(raw, i, raw.length());
                break;
            }
            literal.append(raw, i, open);
            String inner = raw.substring(open + 2, close).trim();
            Object part = variable(inner);
            if (part == null) {
                literal.append(raw, open, close + 1);
            } else {
                if (!literal.isEmpty()) parts.add(literal.toString());
                literal.setLength(0);
                parts.add(part);
            }
            i = close + 1;
        }
        if (!literal.isEmpty()) parts.add(literal.toString());
        boolean any = parts.stream().anyMatch(p -> !(p instanceof String));
        return new PolicyText(raw, any ? parts.toArray() : null);
    }

    private static Object variable(String inner) {
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) return new Escape(inner.charAt(0));
        String key = inner;
        String fallback = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
            key = inner.substring(0, comma).trim();
            String d = inner.substring(comma + 1).trim();
            if (d.length() < 2 || d.charAt(0) != '\'' || d.charAt(d.length() - 1) != '\'') return null;
            fallback = d.substring(1, d.length() - 1);
        }
        if (key.isEmpty()) return null;
        return new Variable(key, fallback);
    }

    private static boolean onlyEscapes(Object[] parts) {
        for (Object p : parts) if (p instanceof Variable) return false;
        return true;
    }

    String raw() {
        return raw;
    }

    boolean hasVariables() {
        return staticText == null;
    }

    /** The condition keys this text's variables read. */
    void addVariableKeys(Set<String> into) {
        if (parts == null) return;
        for (Object p : parts) if (p instanceof Variable v) into.add(v.key());
    }

    /** The text with variables replaced, or null when a variable's key is missing. */
    String resolve(RequestContext ctx) {
        if (staticText != null) return staticText;
        if (parts.length == 1) return value((Variable) parts[0], ctx);
        return render(parts, ctx);
    }

    /** As a wildcard pattern ({@code *} and {@code ?} of the policy are wildcards, substituted text is literal); null when a variable is missing. */
    int[] pattern(RequestContext ctx) {
        return staticText != null ? staticCodes : codes(ctx);
    }

    private static String render(Object[] parts, RequestContext ctx) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) b.append(s);
            else if (p instanceof Escape e) b.append(e.c());
            else {
                String v = value((Variable) p, ctx);
                if (v == null) return null;
                b.append(v);
            }
        }
        return b.toString();
    }

    /** Literal parts keep their wildcards; escapes and substituted values are literal characters. */
    private int[] codes(RequestContext ctx) {
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            if (p instanceof String) length += literalCodes[i].length;
            else if (p instanceof Escape) length++;
            else {
                String v = value((Variable) p, ctx);
                if (v == null) return null;
                length += v.length();
            }
        }
        int[] codes = new int[length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            if (p instanceof String) {
                System.arraycopy(literalCodes[i], 0, codes, at, literalCodes[i].length);
                at += literalCodes[i].length;
            } else if (p instanceof Escape e) {
                codes[at++] = e.c();
            } else {
                String v = value((Variable) p, ctx);
                for (int k = 0; k < v.length(); k++) codes[at++] = v.charAt(k);
            }
        }
        return codes;
    }

    private static String value(Variable v, RequestContext ctx) {
        String value = ctx == null ? null : ctx.single(v.key());
        return value != null ? value : v.fallback();
    }

    @Override
    public String toString() {
        return raw;
    }
}
