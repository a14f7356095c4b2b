package dev.coffer.cli;

import dev.coffer.server.testkit.PostgresDatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.server.testkit.TestServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code coffer restore} refuses — a non-empty target, a wrong root key, a flipped byte, a truncated file, a newer
 * schema — each with a clear message and a non-zero exit, leaving the target exactly as it was.
 */
class RestoreRefusalsTest {
    @TempDir
    static Path scratch;
    private static Path data;
    private static Path snapshot;
    private static StoreFixture fixture;

    @BeforeAll
    static void backUpADeployment() {
        data = scratch.resolve("data");
        try (TestServer source = TestServer.startOn(data, c -> c, false)) {
            fixture = StoreFixture.populate(source);
        }
        snapshot = scratch.resolve("good.snapshot");
        CliRun backup = CliRun.of("backup", "--data-dir", data.toString(), "--out", snapshot.toString());
        assertThat(backup.exit()).as("%s", backup).isZero();
    }

    @AfterAll
    static void noPlaintextAnywhere() throws Exception {
        BackupRestoreTest.assertNoPlaintext(fixture, null, snapshot);
    }

    private static CliRun restoreInto(PostgresDatabase pg, Path file, Path rootKey) {
        return CliRun.of("restore", "--in", file.toString(), "--storage", pg.url(), "--root-key-file", rootKey.toString());
    }

    private static Path variant(String name, byte[] bytes) throws Exception {
        Path file = scratch.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** The offset where the header's JSON starts and where the first chunk starts. */
    private static int[] layout(byte[] file) {
        int magic = "COFFER-SNAPSHOT\n".length();
        int headerLength = ByteBuffer.wrap(file, magic, 4).getInt();
        return new int[] {magic + 4, magic + 4 + headerLength};
    }

    @Test
    void aWrongRootKey_isRefusedBeforeTheTargetIsTouched() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_refuse")) {
            Path otherKey = scratch.resolve("other.key");
            Files.writeString(otherKey, Base64.getEncoder().encodeToString(new byte[32]));
            CliRun run = restoreInto(pg, snapshot, otherKey);
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).startsWith("coffer restore: the root key does not open this snapshot");
            assertThat(pg.contents()).as("the target is untouched").isEmpty();

            Path sqliteTarget = scratch.resolve("never-made");
            CliRun intoDir = CliRun.of("restore", "--in", snapshot.toString(), "--data-dir", sqliteTarget.toString(),
                    "--root-key-file", otherKey.toString());
            assertThat(intoDir.exit()).isEqualTo(1);
            assertThat(sqliteTarget).doesNotExist();
        }
    }

    @Test
    void aFlippedByte_inTheContentOrTheHeader_isRefused() throws Exception {
        byte[] good = Files.readAllBytes(snapshot);
        int[] at = layout(good);
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_refuse")) {
            byte[] content = good.clone();
            content[content.length - 40] ^= 0x01;
            CliRun run = restoreInto(pg, variant("flipped-content", content), data.resolve("root.key"));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("the file was altered or is damaged: chunk 0 fails authentication");
            assertThat(pg.contents()).isEmpty();

            // An edit that keeps the header well-formed (the creation year) still changes what every chunk is bound to.
            byte[] header = good.clone();
            String json = new String(header, at[0], at[1] - at[0], StandardCharsets.UTF_8);
            int year = at[0] + json.indexOf("\"createdAt\":\"") + "\"createdAt\":\"".length() + 3;
            header[year] = (byte) (header[year] == '9' ? '8' : header[year] + 1);
            CliRun edited = restoreInto(pg, variant("edited-header", header), data.resolve("root.key"));
            assertThat(edited.exit()).isEqualTo(1);
            assertThat(edited.err()).contains("fails authentication");
            assertThat(pg.contents()).isEmpty();
        }
    }

    @Test
    void aTruncatedFile_isRefused_whetherCutInsideAChunkOrAtItsBoundary() throws Exception {
        byte[] good = Files.readAllBytes(snapshot);
        int firstChunk = layout(good)[1];
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_refuse")) {
            CliRun inside = restoreInto(pg, variant("cut-inside", Arrays.copyOf(good, good.length - 100)), data.resolve("root.key"));
            assertThat(inside.exit()).isEqualTo(1);
            assertThat(inside.err()).contains("the file is truncated: chunk 0 is cut short");
            CliRun boundary = restoreInto(pg, variant("cut-boundary", Arrays.copyOf(good, firstChunk)), data.resolve("root.key"));
            assertThat(boundary.exit()).isEqualTo(1);
            assertThat(boundary.err()).contains("the file is truncated: it ends after chunk 0 without its final chunk");
            CliRun header = restoreInto(pg, variant("cut-header", Arrays.copyOf(good, firstChunk - 10)), data.resolve("root.key"));
            assertThat(header.exit()).isEqualTo(1);
            assertThat(header.err()).contains("truncated");
            assertThat(pg.contents()).isEmpty();
        }
    }

    @Test
    void aNonEmptyTarget_isRefused_andKeepsWhatItHad() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create("coffer_refuse")) {
            CliRun first = restoreInto(pg, snapshot, data.resolve("root.key"));
            assertThat(first.exit()).as("%s", first).isZero();
            List<String> before = pg.contents();
            CliRun again = restoreInto(pg, snapshot, data.resolve("root.key"));
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("is not empty (").contains("hold rows): a restore or copy goes only into an empty "
                    + "database; nothing was changed");
            assertThat(pg.contents()).isEqualTo(before);
        }
        // The source's own data directory: not empty either, and its lock is free once its server stopped.
        byte[] database = Files.readAllBytes(data.resolve("coffer.db"));
        CliRun intoSource = CliRun.of("restore", "--in", snapshot.toString(), "--data-dir", data.toString());
        assertThat(intoSource.exit()).isEqualTo(1);
        assertThat(intoSource.err()).contains("is not empty");
        assertThat(Files.readAllBytes(data.resolve("coffer.db"))).isEqualTo(database);
    }

    @Test
    void aSnapshotOfANewerSchema_isRefused_andCofferMigrateRefusesThatSchemaToo() throws Exception {
        try (PostgresDatabase newer = PostgresDatabase.create("coffer_newer");
             PostgresDatabase target = PostgresDatabase.create("coffer_refuse")) {
            Path rootKey = scratch.resolve("newer-root.key");
            try (TestServer node = TestServer.startOn(scratch.resolve("newer-node"), c -> c.withStorage(newer.url(), null, rootKey),
                    false)) {
                node.secretsManager().createSecret(r -> r.name("from/the/future").secretString("fixture-future-value"));
            }
            newer.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES (99, '99', 'from a newer Coffer', 'SQL', "
                    + "'V99__future.sql', 0, 'test', 0, true)");
            Path file = scratch.resolve("newer.snapshot");
            CliRun backup = CliRun.of("backup", "--storage", newer.url(), "--root-key-file", rootKey.toString(), "--out",
                    file.toString());
            assertThat(backup.exit()).as("%s", backup).isZero();
            assertThat(backup.out()).contains("schema 99 (postgresql)");

            CliRun restore = restoreInto(target, file, rootKey);
            assertThat(restore.exit()).isEqualTo(1);
            assertThat(restore.err()).contains("the content's schema (version 99) is newer than this Coffer knows (" + ShippedSchema.LATEST + ")");
            assertThat(target.contents()).isEmpty();

            List<String> before = newer.contents();
            CliRun migrate = CliRun.of("migrate", "--storage", newer.url());
            assertThat(migrate.exit()).isEqualTo(1);
            assertThat(migrate.err()).contains("(version 99) is newer than this Coffer knows (" + ShippedSchema.LATEST + ")");
            assertThat(newer.contents()).isEqualTo(before);
        }
    }

    @Test
    void aBackup_neverReplacesAFile_norSealsUnderARootKeyThatDoesNotOpenTheStore() throws Exception {
        byte[] before = Files.readAllBytes(snapshot);
        CliRun existing = CliRun.of("backup", "--data-dir", data.toString(), "--out", snapshot.toString());
        assertThat(existing.exit()).isEqualTo(1);
        assertThat(existing.err()).contains("already exists; give a new file name");
        assertThat(Files.readAllBytes(snapshot)).isEqualTo(before);

        Path otherKey = scratch.resolve("not-this-store.key");
        Files.writeString(otherKey, Base64.getEncoder().encodeToString(new byte[32]));
        Path out = scratch.resolve("never-written.snapshot");
        CliRun wrongKey = CliRun.of("backup", "--data-dir", data.toString(), "--root-key-file", otherKey.toString(), "--out",
                out.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("the root key does not match this store");
        assertThat(out).doesNotExist();
        assertThat(scratch.resolve(".never-written.snapshot.partial")).doesNotExist();
    }
}
