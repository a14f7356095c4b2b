package dev.coffer.server.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one of the Python unittest suites in {@code src/test/python} against a real server, with
 * the server's {@code admin.credentials} as the shared-credentials file, as a Python user would
 * configure boto3, and fails unless unittest reports OK for at least the given number of tests.
 * Python 3 with boto3 must be installed: the suites fail, rather than skip, without them.
 */
public final class PythonSuite {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern RAN = Pattern.compile("(?m)^Ran (\\d+) tests? in ");

    private PythonSuite() {}

    /** Runs {@code script} with the usual environment plus {@code extraEnv}; returns unittest's summary lines. */
    public static String run(String script, TestServer server, Map<String, String> extraEnv, int minimumTests)
            throws IOException, InterruptedException {
        Path python = findOnPath("python3").orElseThrow(() -> new AssertionError(
                "python3 is not on PATH, so the boto3 suites cannot run. Install Python 3 with boto3 "
                        + "(pip install boto3, or apt-get install python3-boto3); CI installs them. PATH="
                        + System.getenv("PATH")));
        Path file = moduleDir().resolve("src/test/python/" + script);
        assertThat(file).as("the Python suite").isRegularFile();
        Path logs = Files.createTempDirectory("coffer-python-");
        try {
            Path out = logs.resolve("stdout");
            Path err = logs.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(python.toString(), file.getFileName().toString())
                    .directory(file.getParent().toFile())
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
            env.putAll(extraEnv);

            Process process = pb.start();
            boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String report = "$ " + python + " " + file + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
            if (!finished) fail("the Python suite did not finish within " + TIMEOUT + "\n" + report);

            assertThat(process.exitValue()).as("exit code of the Python suite\n%s", report).isZero();
            Matcher ran = RAN.matcher(stderr);
            assertThat(ran.find()).as("unittest's 'Ran N tests' line\n%s", report).isTrue();
            assertThat(Integer.parseInt(ran.group(1))).as("tests the suite ran\n%s", report)
                    .isGreaterThanOrEqualTo(minimumTests);
            assertThat(stderr.lines().map(String::strip).toList()).as("unittest's verdict\n%s", report)
                    .anyMatch(line -> line.equals("OK") || line.startsWith("OK ("));
            return stderr.lines().filter(l -> l.startsWith("boto3 ") || l.startsWith("Ran ")
                    || l.startsWith("OK") || l.contains("skipped") || l.contains("expected failure"))
                    .collect(Collectors.joining("\n"));
        } finally {
            TestServer.deleteRecursively(logs);
        }
    }

    /** The coffer-server module directory, where Maven runs the tests. */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path dir = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(dir.resolve("src/test/python")) ? dir : dir.resolve("coffer-server");
    }

    private static Optional<Path> findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, program))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
