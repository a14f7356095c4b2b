package dev.coffer.cli;

import dev.coffer.server.testkit.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer migrate-store}: a whole embedded deployment copied into an empty PostgreSQL database, with progress on
 * stderr, verified, and served by a node started as the command says; refused while the embedded server runs.
 */
class MigrateStoreCommandTest {
    @TempDir
    Path scratch;

    @Test
    void aStoppedSqliteDeployment_isCopiedIntoPostgres_withProgress_andANodeThereServesEverything() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_migrate_store")) {
            Path data = scratch.resolve("data");
            StoreFixture fixture;
            try (TestServer source = TestServer.startOn(data, c -> c, false)) {
                fixture = StoreFixture.populate(source);
                for (int i = 0; i < 30; i++) {
                    String name = "bulk/" + i;
                    source.secretsManager().createSecret(r -> r.name(name).secretString("fixture-bulk-value"));
                }
                fixture.plaintexts.add("fixture-bulk-value".getBytes(java.nio.charset.StandardCharsets.UTF_8));

                CliRun whileRunning = CliRun.of("migrate-store", "--data-dir", data.toString(), "--to", pg.url());
                assertThat(whileRunning.exit()).isEqualTo(1);
                assertThat(whileRunning.err()).contains("another Coffer server is already running on");
                assertThat(pg.contents()).as("nothing copied").isEmpty();
            }

            CliRun copy = CliRun.of("migrate-store", "--data-dir", data.toString(), "--to", pg.url());
            assertThat(copy.exit()).as("%s", copy).isZero();
            // Plain progress (stderr is not a terminal here): a first line with the totals, one line per table, a last line.
            assertThat(copy.err().lines().findFirst().orElseThrow()).matches("Copying " + ShippedSchema.TABLES + " tables, \\d+ rows");
            assertThat(copy.err()).containsPattern("(?m)^  secrets: 3[3-9]/3[3-9] rows done; overall \\d+/\\d+ rows \\(\\d+%\\)$")
                    .containsPattern("(?m)^  version_stages: \\d+/\\d+ rows done; overall (\\d+)/\\1 rows \\(100%\\)$")
                    .containsPattern("(?m)^  keyring_keys: 3/3 rows done; ")
                    .endsWith("Copied " + ShippedSchema.TABLES + " tables" + System.lineSeparator());
            assertThat(copy.err().lines().filter(l -> l.endsWith("%)"))).hasSize(ShippedSchema.TABLES);
            assertThat(copy.out()).containsPattern("^Copied " + data + " into " + pg.url() + ": " + ShippedSchema.TABLES
                    + " tables, \\d+ rows, schema " + ShippedSchema.LATEST + "; "
                    + "content sha256 [0-9a-f]{64} matches the source's; the root key opens the copied keyring\\.")
                    .contains("Start the nodes with: coffer server --storage " + pg.url() + " --root-key-file "
                            + data.resolve("root.key"));
            assertThat(fixture.plaintextsIn((copy.out() + copy.err()).getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();

            try (TestServer node = TestServer.startOn(scratch.resolve("node"),
                    c -> c.withStorage(pg.url(), null, data.resolve("root.key")), false)) {
                fixture.assertServedBy(node);
                assertThat(node.secretsManager().getSecretValue(r -> r.secretId("bulk/29")).secretString())
                        .isEqualTo("fixture-bulk-value");
            }

            CliRun again = CliRun.of("migrate-store", "--data-dir", data.toString(), "--to", pg.url());
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("is not empty");
        }
    }
}
