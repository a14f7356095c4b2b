package dev.coffer.cli;

import java.io.PrintWriter;

/**
 * Comma-separated values as RFC 4180 writes them: a header row, then one row per record; a field with a
 * comma, a quote or a line break is quoted, its quotes doubled. Lines end in CRLF, as the RFC says.
 */
final class Csv {
    private final PrintWriter out;

    Csv(PrintWriter out, String... header) {
        this.out = out;
        row((Object[]) header);
    }

    Csv row(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) b.append(',');
            b.append(field(fields[i] == null ? "" : fields[i].toString()));
        }
        out.print(b.append("\r\n"));
        return this;
    }

    void flush() {
        out.flush();
    }

    static String field(String value) {
        if (value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
