package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coffer server}'s audit export options, as a user runs the command in its own process. */
class ServerAuditExportOptionsTest {
    private static final Pattern READY = Pattern.compile("Coffer ready at (http\\S+) ");

    @TempDir
    Path scratch;

    private Process coffer(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), CofferCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile()).start();
    }

    @Test
    void exportFileOption_writesEveryCallAsAJsonLine() throws Exception {
        Path exports = scratch.resolve("exports");
        Process p = coffer("file", "server", "--data-dir", scratch.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--audit-export-file", exports + ",rotate-mb=1,rotate-minutes=60,keep-files=10,keep-days=7");
        try {
            String endpoint = null;
            for (int i = 0; i < 600 && endpoint == null && p.isAlive(); i++) {
                Matcher m = READY.matcher(Files.readString(scratch.resolve("file.out")));
                if (m.find()) endpoint = m.group(1);
                else Thread.sleep(50);
            }
            assertThat(endpoint).as("ready; stderr: %s", Files.readString(scratch.resolve("file.err"))).isNotNull();
            // An unsigned call: refused, and recorded (and exported) as such.
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
                    .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "secretsmanager.ListSecrets")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isBetween(400, 499);
            String line = null;
            for (int i = 0; i < 200 && line == null; i++) {
                line = firstLine(exports);
                if (line == null) Thread.sleep(50);
            }
            assertThat(line).as("an exported line").isNotNull();
            assertThat(new ObjectMapper().readTree(line).path("eventName").asText()).isEqualTo("ListSecrets");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void plainHttpWebhookToAnotherHost_isRefusedAtStart_withoutShowingTheSecret() throws Exception {
        Path secret = Files.writeString(scratch.resolve("hook.key"), "very-secret-hmac-key-0123456789");
        Process p = coffer("hook", "server", "--data-dir", scratch.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--audit-export-webhook", "http://siem.example/hook", "--audit-export-webhook-secret-file", secret.toString());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        String err = Files.readString(scratch.resolve("hook.err"));
        assertThat(err).contains("--audit-export-webhook-insecure-http").doesNotContain("very-secret-hmac-key");
    }

    private static String firstLine(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String l : Files.readAllLines(f)) if (!l.isBlank()) return l;
            }
        }
        return null;
    }
}
