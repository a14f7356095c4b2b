package dev.coffer.server.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real AWS CLI ({@code aws …} subprocesses) pointed at a test server, with no AWS configuration
 * but the server's own {@code admin.credentials} — or, for calls made as another principal, only the
 * credentials given, in the environment variables a workload would have. Output is JSON; secret
 * access keys are redacted from any failure report.
 */
public final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** AWS CLI v1 exits 255 on a service error; v2 exits 254. */
    private static final Set<Integer> SERVICE_ERROR_EXITS = Set.of(254, 255);
    private static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofSeconds(90);

    private final Path executable;
    private final TestServer server;
    private final Path scratch;

    /** A command's outcome. */
    public record Run(List<String> command, int exit, String stdout, String stderr) {
        public String describe() {
            return "$ " + String.join(" ", command) + "\nexit code: " + exit + "\n--- stdout ---\n" + redact(stdout)
                    + "\n--- stderr ---\n" + redact(stderr);
        }

        /** Diagnostics never show a secret access key or a generated password. */
        private static String redact(String text) {
            return text.replaceAll("(\"(?:SecretAccessKey|RandomPassword)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
                    "$1\"<redacted>\"");
        }
    }

    private AwsCli(Path executable, TestServer server, Path scratch) {
        this.executable = executable;
        this.server = server;
        this.scratch = scratch;
    }

    /** Fails the test, rather than skipping it, when the CLI is not installed (CI installs it). */
    public static AwsCli against(TestServer server, Path scratch) {
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        Path aws = Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "aws"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
        if (aws == null) fail("The AWS CLI ('aws') is not on PATH; install it (apt-get install awscli) to run the CLI suites.");
        return new AwsCli(aws, server, scratch);
    }

    /** Runs {@code aws ARGS} as the administrator. */
    public Run run(String... args) {
        return runAs(null, args);
    }

    /**
     * Runs {@code aws ARGS} with only the given environment credentials ({@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}); null for the administrator's profile.
     */
    public Run runAs(Map<String, String> credentials, String... args) {
        return runIn(TestServer.REGION, credentials, args);
    }

    /** {@link #runAs} in another region (each region is its own namespace of secrets). */
    public Run runIn(String region, Map<String, String> credentials, String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--endpoint-url", server.endpoint().toString(),
                "--region", region, "--output", "json"));
        if (credentials == null) command.addAll(List.of("--profile", "coffer-admin"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials == null ? server.adminCredentialsFile().toString() : "/dev/null");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        if (credentials != null) env.putAll(credentials);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Path out = Files.createTempFile(scratch, "aws-", ".out");
            Path err = Files.createTempFile(scratch, "aws-", ".err");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process process = pb.start();
            if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                Run partial = new Run(command, -1, Files.readString(out), Files.readString(err));
                fail("aws did not finish within " + CALL_TIMEOUT + "\n" + partial.describe());
            }
            Run run = new Run(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command's JSON output, failing the test unless it succeeded. */
    public static JsonNode ok(Run run) {
        assertThat(run.exit()).as("the aws CLI should succeed:\n%s", run.describe()).isZero();
        if (run.stdout().isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(run.stdout());
        } catch (IOException e) {
            throw new AssertionError("aws printed something that is not JSON:\n" + run.describe(), e);
        }
    }

    /** Fails the test unless the command failed with this AWS error, as the CLI prints it. */
    public static void failedWith(Run run, String code, String operation, String message) {
        assertThat(SERVICE_ERROR_EXITS).as("exit code of a service error:\n%s", run.describe()).contains(run.exit());
        String expected = "An error occurred (" + code + ") when calling the " + operation + " operation: " + message;
        assertThat(run.stderr().lines().map(String::strip).toList()).as("stderr line:\n%s", run.describe()).contains(expected);
    }
}
