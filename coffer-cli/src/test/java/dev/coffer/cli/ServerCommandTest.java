package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coffer server} as a user runs it: in its own process, stopped with SIGTERM. */
class ServerCommandTest {
    private static final Pattern READY = Pattern.compile("Coffer ready at (http\\S+) \\(account (\\d{12})\\); "
            + "administrator credentials: (\\S+) \\[profile coffer-admin\\]");

    @TempDir
    Path scratch;

    private Process coffer(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), CofferCommand.class.getName()));
        command.addAll(List.of(args));
        // To files: Process.destroy() closes the pipes, and the test still wants the last words.
        return new ProcessBuilder(command).redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile()).start();
    }

    /** Waits for the process's first line of output. */
    private String firstLine(String name, Process p) throws Exception {
        Path out = scratch.resolve(name + ".out");
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            List<String> lines = Files.readAllLines(out);
            if (!lines.isEmpty() && Files.readString(out).contains("\n")) return lines.getFirst();
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(out);
        return lines.isEmpty() ? "" : lines.getFirst();
    }

    @Test
    void serverPrintsOneReadyLine_servesHealth_andStopsCleanlyOnSigterm() throws Exception {
        Path data = scratch.resolve("data");
        Process p = coffer("first", "server", "--data-dir", data.toString(), "--listen", "127.0.0.1:0");
        String ready = firstLine("first", p);
        try {
            Matcher m = READY.matcher(ready == null ? "" : ready);
            assertThat(m.matches()).as("ready line: %s", ready).isTrue();
            Path credentials = Path.of(m.group(3));
            assertThat(credentials).isEqualTo(data.resolve("admin.credentials").toAbsolutePath());
            String secretKey = Files.readAllLines(credentials).stream().filter(l -> l.startsWith("aws_secret_access_key"))
                    .map(l -> l.substring(l.indexOf('=') + 1).strip()).findFirst().orElseThrow();
            assertThat(ready).doesNotContain(secretKey);

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
            assertThat(Files.readAllLines(scratch.resolve("first.out"))).containsExactly(ready, "Coffer stopped");
            assertThat(Files.readString(scratch.resolve("first.err"))).doesNotContain(secretKey).doesNotContain("ERROR");

            // the lock was released and the same deployment comes back
            Process again = coffer("again", "server", "--data-dir", data.toString(), "--listen", "127.0.0.1:0");
            try {
                Matcher m2 = READY.matcher(firstLine("again", again));
                assertThat(m2.matches()).isTrue();
                assertThat(m2.group(2)).isEqualTo(m.group(2));
            } finally {
                again.destroy();
                again.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void plainHttpOnAPublicAddress_isRefusedWithAClearMessage() throws Exception {
        Process p = coffer("public", "server", "--data-dir", scratch.resolve("data").toString(), "--listen", "0.0.0.0:0");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(scratch.resolve("public.err"))).contains("--tls-self-signed").contains("--insecure-http");
    }
}
