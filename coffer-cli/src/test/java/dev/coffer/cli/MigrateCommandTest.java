package dev.coffer.cli;

import dev.coffer.server.testkit.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.store.Migrations;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** {@code coffer migrate}: applies pending migrations explicitly, says what it applied, and refuses what it must. */
class MigrateCommandTest {
    @TempDir
    Path scratch;

    @Test
    void onPostgres_appliesWhatIsPending_andThenHasNothingToApply() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_migrate")) {
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setURL("jdbc:postgresql://" + PostgresDatabase.SERVER + "/" + pg.url().substring(pg.url().lastIndexOf('/') + 1));
            source.setUser(PostgresDatabase.USER);
            Migrations.migrateTo(source, "BYTEA", "2"); // a database an older Coffer made

            CliRun migrate = CliRun.of("migrate", "--storage", pg.url());
            assertThat(migrate.exit()).as("%s", migrate).isZero();
            assertThat(migrate.out()).isEqualTo("Applied migrations " + ShippedSchema.versionsFrom(3) + " to " + pg.url() + " (was version 2); schema version now "
                    + ShippedSchema.LATEST + "."
                    + System.lineSeparator());
            assertThat(pg.contents()).contains("iam_users=0", "org_accounts=0");

            CliRun again = CliRun.of("migrate", "--storage", pg.url());
            assertThat(again.exit()).isZero();
            assertThat(again.out()).isEqualTo("Nothing to apply: " + pg.url() + " is at schema version " + ShippedSchema.LATEST + "." + System.lineSeparator());
        }
    }

    @Test
    void onAnEmptyPostgresDatabase_appliesEveryMigration() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_migrate")) {
            CliRun migrate = CliRun.of("migrate", "--storage", pg.url());
            assertThat(migrate.exit()).as("%s", migrate).isZero();
            assertThat(migrate.out()).startsWith("Applied migrations " + ShippedSchema.versionsFrom(1) + " to " + pg.url() + " (was empty)");
        }
    }

    @Test
    void onADataDirectory_refusesWhileItsServerRuns_andHasNothingToApplyAfter() {
        Path data = scratch.resolve("data");
        TestServer server = TestServer.startOn(data, c -> c, false);
        try {
            CliRun running = CliRun.of("migrate", "--data-dir", data.toString());
            assertThat(running.exit()).isEqualTo(1);
            assertThat(running.err()).isEqualTo("coffer migrate: another Coffer server is already running on "
                    + data.toAbsolutePath() + System.lineSeparator());
        } finally {
            server.stop();
        }
        CliRun stopped = CliRun.of("migrate", "--data-dir", data.toString());
        assertThat(stopped.exit()).as("%s", stopped).isZero();
        assertThat(stopped.out()).isEqualTo("Nothing to apply: " + data + " is at schema version " + ShippedSchema.LATEST + "." + System.lineSeparator());

        CliRun none = CliRun.of("migrate", "--data-dir", scratch.resolve("nothing-here").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("there is no Coffer database in");
    }

    @Test
    void withoutAStore_isAUsageError() {
        CliRun run = CliRun.of("migrate");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required argument").contains("--data-dir").contains("--storage");
    }
}
