package dev.coffer.cli;

import dev.coffer.server.testkit.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer backup} and {@code coffer restore} across engines, with real servers and the SDK: a backup taken while a
 * writer keeps calling PutSecretValue restores, on the other engine, to a store a server with the same root key serves
 * completely — every value, version and label, and an IAM user's own access key — and neither the file nor any output
 * holds a plaintext.
 */
class BackupRestoreTest {
    @TempDir
    Path scratch;

    @Test
    void sqliteBackupTakenUnderWrites_restoresIntoPostgres_andANodeThereServesEverything() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_restore")) {
            Path data = scratch.resolve("data");
            Path snapshot = scratch.resolve("coffer.snapshot");
            StoreFixture fixture;
            CliRun backup;
            List<String> ackedBefore;
            PutSecretValueLoad load;
            try (TestServer source = TestServer.startOn(data, c -> c, false)) {
                fixture = StoreFixture.populate(source);
                load = PutSecretValueLoad.start(source);
                try (load) {
                    load.awaitAcknowledged(5);
                    ackedBefore = load.acknowledgedSoFar();
                    backup = CliRun.of("backup", "--data-dir", data.toString(), "--out", snapshot.toString());
                    int after = load.acknowledgedCount();
                    load.awaitAcknowledged(after + 3); // the writer went on, undisturbed, after the snapshot
                    assertThat(load.acknowledgedCount()).isGreaterThan(after);
                }
            }
            assertThat(backup.exit()).as("%s", backup).isZero();
            assertThat(backup.out().lines()).hasSize(1).first().asString()
                    .startsWith("Backed up " + data + " to " + snapshot + ": " + ShippedSchema.TABLES + " tables, ")
                    .containsPattern("\\d+ rows, \\d+ bytes, schema " + ShippedSchema.LATEST + " \\(sqlite\\), content sha256 [0-9a-f]{64}$");
            assertThat(Files.getPosixFilePermissions(snapshot)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

            CliRun restore = CliRun.of("restore", "--in", snapshot.toString(), "--storage", pg.url(), "--root-key-file",
                    data.resolve("root.key").toString());
            assertThat(restore.exit()).as("%s", restore).isZero();
            assertThat(restore.out()).contains("from sqlite, schema " + ShippedSchema.LATEST + ") into " + pg.url())
                    .contains("verified; the root key opens the keyring")
                    .contains("Start the nodes with: coffer server --storage " + pg.url());
            assertThat(restore.out()).contains(digestOf(backup));

            assertNoPlaintext(fixture, load, snapshot, backup, restore);
            try (TestServer node = TestServer.startOn(scratch.resolve("node"),
                    c -> c.withStorage(pg.url(), null, data.resolve("root.key")), false)) {
                fixture.assertServedBy(node);
                load.assertConsistentOn(node, ackedBefore);
            }
        }
    }

    @Test
    void postgresBackupTakenUnderWrites_restoresIntoANewDataDirectory_andItsServerServesEverything() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_backup")) {
            Path rootKey = scratch.resolve("root.key");
            Path snapshot = scratch.resolve("pg.snapshot");
            StoreFixture fixture;
            CliRun backup;
            List<String> ackedBefore;
            PutSecretValueLoad load;
            try (TestServer source = TestServer.startOn(scratch.resolve("pg-node"), c -> c.withStorage(pg.url(), null, rootKey),
                    false)) {
                fixture = StoreFixture.populate(source);
                load = PutSecretValueLoad.start(source);
                try (load) {
                    load.awaitAcknowledged(5);
                    ackedBefore = load.acknowledgedSoFar();
                    backup = CliRun.of("backup", "--storage", pg.url(), "--root-key-file", rootKey.toString(), "--out",
                            snapshot.toString());
                    int after = load.acknowledgedCount();
                    load.awaitAcknowledged(after + 3);
                }
            }
            assertThat(backup.exit()).as("%s", backup).isZero();
            assertThat(backup.out()).contains("schema " + ShippedSchema.LATEST + " (postgresql)");

            Path restored = scratch.resolve("restored");
            CliRun restore = CliRun.of("restore", "--in", snapshot.toString(), "--data-dir", restored.toString(),
                    "--root-key-file", rootKey.toString());
            assertThat(restore.exit()).as("%s", restore).isZero();
            assertThat(restore.out()).contains("from postgresql, schema " + ShippedSchema.LATEST + ") into " + restored)
                    .contains("The root key was written to " + restored.resolve("root.key"));
            assertThat(Files.readString(restored.resolve("root.key"))).isEqualTo(Files.readString(rootKey));
            assertThat(restore.out()).contains(digestOf(backup));
            assertNoPlaintext(fixture, load, snapshot, backup, restore);

            try (TestServer server = TestServer.startOn(restored, c -> c, false)) {
                fixture.assertServedBy(server);
                load.assertConsistentOn(server, ackedBefore);
            }
        }
    }

    static String digestOf(CliRun backup) {
        return backup.out().substring(backup.out().indexOf("sha256 ") + 7).strip();
    }

    /** Searches the file's bytes and every output for every value written. */
    static void assertNoPlaintext(StoreFixture fixture, PutSecretValueLoad load, Path snapshot, CliRun... runs) throws Exception {
        if (load != null) fixture.plaintexts.addAll(load.values());
        assertThat(fixture.plaintextsIn(Files.readAllBytes(snapshot))).as("plaintexts in the backup file").isEmpty();
        for (CliRun run : runs) {
            assertThat(fixture.plaintextsIn((run.out() + run.err()).getBytes(StandardCharsets.UTF_8)))
                    .as("plaintexts in the output of %s", run.out()).isEmpty();
        }
    }
}
