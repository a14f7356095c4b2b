package dev.coffer.server.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.testkit.StoredAuditEvents;
import dev.coffer.server.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON-lines file sink on a real server: files rotate by size and by time, retention deletes beyond the count
 * and the age, every line is one complete CloudTrail record, names sort in event order, no secret value is in any
 * byte, and a line torn by a crash is cut off when the sink opens.
 */
class FileExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    private static ExportSettings settings(FileExport file) {
        return new ExportSettings(file, null, null)
                .withPacing(50, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @Test
    void rotatesBySize_everyLineACompleteRecord_namesInEventOrder_noSecretValue() throws Exception {
        Path dir = scratch.resolve("exports");
        long limit = 16 * 1024;
        try (TestServer server = TestServer.start(c -> c.withExports(settings(
                new FileExport(dir, limit, Duration.ofHours(1), 0, Duration.ZERO))))) {
            ExportTraffic traffic = new ExportTraffic(List.of(server.secretsManager()));
            try {
                assertThat(ExportTraffic.await(60_000, () -> files(dir).size() >= 4)).as("several files").isTrue();
            } finally {
                traffic.close();
            }
            Set<String> all = ExportTraffic.eventIds(server);
            assertThat(ExportTraffic.await(20_000, () -> ids(dir).containsAll(all))).as("every event exported").isTrue();

            List<Long> seqs = new ArrayList<>();
            for (Path file : files(dir)) {
                assertThat(Files.size(file)).as("%s within its size", file).isLessThanOrEqualTo(limit);
                String text = Files.readString(file);
                assertThat(text).endsWith("\n");
                for (String plaintext : traffic.plaintexts) assertThat(text).doesNotContain(plaintext);
                for (String line : text.split("\n")) {
                    JsonNode record = JSON.readTree(line); // a complete record, or this throws
                    assertThat(record.path("eventID").asText()).isNotEmpty();
                    seqs.add(seq(server, record.path("eventID").asText()));
                }
            }
            assertThat(seqs).as("files by name, lines in order: the log's order").isSorted();
        }
    }

    @Test
    void keepsAtMostTheFileCount_newestKept() throws Exception {
        Path dir = scratch.resolve("exports");
        try (TestServer server = TestServer.start(c -> c.withExports(settings(
                new FileExport(dir, 8 * 1024, Duration.ofHours(1), 3, Duration.ZERO))))) {
            ExportTraffic traffic = new ExportTraffic(List.of(server.secretsManager()));
            Set<Path> seen = new HashSet<>();
            try {
                assertThat(ExportTraffic.await(60_000, () -> {
                    seen.addAll(files(dir));
                    return seen.size() >= 8;
                })).as("rotations").isTrue();
            } finally {
                traffic.close();
            }
            List<String> ids = new ArrayList<>(ExportTraffic.eventIds(server));
            String newest = ids.getLast();
            assertThat(ExportTraffic.await(20_000, () -> ids(dir).contains(newest))).isTrue();
            assertThat(files(dir)).hasSizeLessThanOrEqualTo(3);
            assertThat(ids(dir)).doesNotContain(ids.getFirst());
        }
    }

    @Test
    void rotatesByTime_evenWhenQuiet_andDeletesFilesPastTheirAge() throws Exception {
        Path dir = scratch.resolve("exports");
        try (TestServer server = TestServer.start(c -> c.withExports(settings(
                new FileExport(dir, 100L * 1024 * 1024, Duration.ofSeconds(1), 0, Duration.ofSeconds(3)))))) {
            Set<Path> seen = new HashSet<>();
            for (int i = 0; i < 24; i++) { // six seconds of a call every quarter second
                server.secretsManager().listSecrets(r -> {});
                seen.addAll(files(dir));
                Thread.sleep(250);
            }
            assertThat(seen).as("a new file about every second").hasSizeGreaterThanOrEqualTo(4);
            Thread.sleep(4_500); // quiet: the last file is closed and every file passes its age
            server.secretsManager().listSecrets(r -> {});
            assertThat(ExportTraffic.await(10_000, () -> files(dir).size() == 1)).as("old files deleted").isTrue();
            long now = System.currentTimeMillis();
            for (Path file : files(dir)) {
                assertThat(now - Files.getLastModifiedTime(file).toMillis()).isLessThan(3_000 + 2_000);
                assertThat(seen).doesNotContain(file);
            }
        }
    }

    @Test
    void aLineTornByACrashIsCutOffWhenTheSinkOpens() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("exports"));
        Path earlier = dir.resolve("coffer-audit-20200101T000000.000Z.jsonl");
        Files.writeString(earlier, "{\"eventID\":\"a\"}\n{\"eventID\":\"b\",\"eventNa");
        try (TestServer server = TestServer.start(c -> c.withExports(settings(
                new FileExport(dir, 1024 * 1024, Duration.ofHours(1), 0, Duration.ZERO))))) {
            assertThat(Files.readString(earlier)).isEqualTo("{\"eventID\":\"a\"}\n");
            server.secretsManager().listSecrets(r -> {});
            assertThat(ExportTraffic.await(10_000, () -> files(dir).size() == 2)).isTrue();
        }
    }

    private static long seq(TestServer server, String eventId) throws Exception {
        try (var db = ExportTraffic.sqlite(server)) {
            return StoredAuditEvents.all(db).stream().filter(r -> r.eventId().equals(eventId)).findFirst().orElseThrow().seq();
        }
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("coffer-audit-")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static Set<String> ids(Path dir) {
        Set<String> ids = new HashSet<>();
        for (Path file : files(dir)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) ids.add(JSON.readTree(line).path("eventID").asText());
                }
            } catch (IOException e) {
                // deleted by retention while read
            }
        }
        return ids;
    }
}
