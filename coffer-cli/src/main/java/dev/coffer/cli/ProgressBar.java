package dev.coffer.cli;

import dev.coffer.server.store.snapshot.Progress;
import dev.coffer.server.store.snapshot.SnapshotHeader;
import java.io.Console;
import java.io.PrintWriter;
import java.util.List;

/**
 * A copy's progress on stderr: on a terminal, one bar redrawn in place (per table and overall rows); otherwise plain
 * lines, one per table when it is done and one every {@value #PLAIN_EVERY} rows of a large table, which read well in a
 * log file.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private static final long PLAIN_EVERY = 10_000;

    private final PrintWriter err;
    private final boolean terminal;
    private int tables;
    private int tablesDone;

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether this process's stderr is a terminal (JDK 22+ can say; older ones only know whether a console exists). */
    static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void started(List<SnapshotHeader.TableCount> counts) {
        tables = counts.size();
        long rows = counts.stream().mapToLong(SnapshotHeader.TableCount::rows).sum();
        err.println("Copying " + tables + " tables, " + rows + " rows");
        err.flush();
    }

    @Override
    public void advanced(String table, long tableDone, long tableTotal, long allDone, long allTotal) {
        boolean complete = tableDone == tableTotal;
        if (complete) tablesDone++;
        if (terminal) {
            int filled = allTotal == 0 ? WIDTH : (int) (WIDTH * allDone / allTotal);
            int current = complete ? tablesDone : tablesDone + 1;
            err.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + percent(allDone, allTotal) + "  "
                    + allDone + "/" + allTotal + " rows  table " + current + "/" + tables + " " + table + " " + tableDone + "/"
                    + tableTotal + "\u001b[K");
        } else if (complete || tableDone % PLAIN_EVERY == 0) {
            err.println("  " + table + ": " + tableDone + "/" + tableTotal + " rows" + (complete ? " done" : "") + "; overall "
                    + allDone + "/" + allTotal + " rows (" + percent(allDone, allTotal) + ")");
        }
        err.flush();
    }

    @Override
    public void finished() {
        if (terminal) err.println();
        err.println("Copied " + tablesDone + " tables");
        err.flush();
    }

    private static String percent(long done, long total) {
        return (total == 0 ? 100 : done * 100 / total) + "%";
    }
}
