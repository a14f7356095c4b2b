package dev.coffer.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row, aligned columns separated by two spaces, no trailing spaces. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) row.add(cell == null ? "-" : cell.toString());
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) width[i] = header.get(i).length();
        for (List<String> row : rows) {
            for (int i = 0; i < width.length && i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        line(out, header, width);
        for (List<String> row : rows) line(out, row, width);
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            b.append(cell);
            if (i < width.length - 1) b.append(" ".repeat(width[i] - cell.length() + 2));
        }
        out.println(b.toString().stripTrailing());
    }
}
