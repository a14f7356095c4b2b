package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.store.snapshot.SnapshotHeader.TableCount;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two faces of migrate-store's progress: a bar redrawn in place on a terminal, plain lines elsewhere. */
class ProgressBarTest {
    private final StringWriter err = new StringWriter();

    private void copy(ProgressBar bar) {
        bar.started(List.of(new TableCount("secrets", 20_000), new TableCount("secret_versions", 20_000)));
        for (long done = 200; done < 20_000; done += 200) bar.advanced("secrets", done, 20_000, done, 40_000);
        bar.advanced("secrets", 20_000, 20_000, 20_000, 40_000);
        bar.advanced("secret_versions", 20_000, 20_000, 40_000, 40_000);
        bar.finished();
    }

    @Test
    void onATerminal_oneBarIsRedrawnInPlace_withTheTableAndOverallRows() {
        copy(new ProgressBar(new PrintWriter(err), true));
        String out = err.toString();
        assertThat(out).startsWith("Copying 2 tables, 40000 rows" + System.lineSeparator()
                + "\r[------------------------------] 0%  200/40000 rows  table 1/2 secrets 200/20000");
        assertThat(out).contains("\r[###############---------------] 50%  20000/40000 rows  table 1/2 secrets 20000/20000");
        assertThat(out).contains("\r[##############################] 100%  40000/40000 rows  table 2/2 secret_versions 20000/20000");
        assertThat(out.chars().filter(ch -> ch == '\n').count()).as("the bar stays on one line").isEqualTo(3);
        assertThat(out).endsWith("Copied 2 tables" + System.lineSeparator());
    }

    @Test
    void elsewhere_plainLines_onePerTableAndEveryTenThousandRows() {
        copy(new ProgressBar(new PrintWriter(err), false));
        assertThat(err.toString().lines()).containsExactly(
                "Copying 2 tables, 40000 rows",
                "  secrets: 10000/20000 rows; overall 10000/40000 rows (25%)",
                "  secrets: 20000/20000 rows done; overall 20000/40000 rows (50%)",
                "  secret_versions: 20000/20000 rows done; overall 40000/40000 rows (100%)",
                "Copied 2 tables");
    }
}
