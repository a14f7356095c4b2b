package dev.coffer.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.coffer.server.testkit.TestServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Coffer driven by boto3: runs {@code src/test/python/boto3_suite.py} (Python's unittest,
 * many small tests) against a real server, with the server's {@code admin.credentials} as
 * the shared-credentials file, as a Python user would configure it.
 *
 * <p>Python 3 with boto3 must be installed: this test fails, rather than skips, without them.
 */
class Boto3Test {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MINIMUM_TESTS = 15;
    private static final Pattern RAN = Pattern.compile("(?m)^Ran (\\d+) tests? in ");

    @Test
    void boto3SuitePassesAgainstARealServer() throws Exception {
        Path python = findOnPath("python3").orElseThrow(() -> new AssertionError(
                "python3 is not on PATH, so the boto3 compatibility suite cannot run. Install Python 3 with boto3 "
                        + "(pip install boto3, or apt-get install python3-boto3); CI installs them. PATH="
                        + System.getenv("PATH")));
        Path script = moduleDir().resolve("src/test/python/boto3_suite.py");
        assertThat(script).as("the boto3 suite").isRegularFile();

        try (TestServer server = TestServer.start()) {
            Path logs = Files.createTempDirectory("coffer-boto3-");
            try {
                Path out = logs.resolve("stdout");
                Path err = logs.resolve("stderr");
                ProcessBuilder pb = new ProcessBuilder(python.toString(), script.getFileName().toString())
                        .directory(script.getParent().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                Map<String, String> env = pb.environment();
                env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("BOTO"));
                env.put("COFFER_ENDPOINT", server.endpoint().toString());
                env.put("AWS_SHARED_CREDENTIALS_FILE", server.adminCredentialsFile().toString());
                env.put("AWS_PROFILE", "coffer-admin");
                env.put("AWS_DEFAULT_REGION", TestServer.REGION);
                env.put("AWS_CONFIG_FILE", "/dev/null");
                env.put("PYTHONDONTWRITEBYTECODE", "1");
                env.put("PYTHONUNBUFFERED", "1");

                Process process = pb.start();
                boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (!finished) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                String report = "$ " + python + " " + script + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
                if (!finished) fail("the boto3 suite did not finish within " + TIMEOUT + "\n" + report);

                assertThat(process.exitValue()).as("exit code of the boto3 suite\n%s", report).isZero();
                Matcher ran = RAN.matcher(stderr);
                assertThat(ran.find()).as("unittest's 'Ran N tests' line\n%s", report).isTrue();
                int tests = Integer.parseInt(ran.group(1));
                assertThat(tests).as("tests the boto3 suite ran\n%s", report).isGreaterThanOrEqualTo(MINIMUM_TESTS);
                assertThat(stderr.lines().map(String::strip).toList()).as("unittest's verdict\n%s", report)
                        .anyMatch(line -> line.equals("OK") || line.startsWith("OK ("));

                // the suite's own summary (versions, and any tests skipped for an old botocore) for the report
                System.out.println(stderr.lines().filter(l -> l.startsWith("boto3 ") || l.startsWith("Ran ")
                        || l.startsWith("OK") || l.contains("skipped") || l.contains("expected failure"))
                        .collect(Collectors.joining("\n")));
            } finally {
                TestServer.deleteRecursively(logs);
            }
        }
    }

    /** The coffer-server module directory, where Maven runs the tests. */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path dir = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(dir.resolve("src/test/python")) ? dir : dir.resolve("coffer-server");
    }

    private static java.util.Optional<Path> findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return java.util.Optional.empty();
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
