package dev.coffer.server.clients;

import dev.coffer.server.testkit.PythonSuite;
import dev.coffer.server.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Coffer driven by boto3: runs {@code src/test/python/boto3_suite.py} (Python's unittest, many
 * small tests) against a real server. Python 3 with boto3 must be installed: this test fails,
 * rather than skips, without them.
 */
class Boto3Test {
    private static final int MINIMUM_TESTS = 15;

    @Test
    void boto3SuitePassesAgainstARealServer() throws Exception {
        try (TestServer server = TestServer.start()) {
            // the suite's own summary (versions, and any tests skipped for an old botocore) for the report
            System.out.println(PythonSuite.run("boto3_suite.py", server, Map.of(), MINIMUM_TESTS));
        }
    }
}
