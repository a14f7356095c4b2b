package dev.coffer.server.authz;

import dev.coffer.server.testkit.PythonSuite;
import dev.coffer.server.testkit.TestIssuer;
import dev.coffer.server.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IAM, STS and least-privilege reads driven by boto3 ({@code src/test/python/boto3_least_privilege.py}),
 * including boto3's standard web-identity credential provider configured only by the environment a
 * Kubernetes pod gets. Tokens are signed by a test issuer the server is pinned to.
 */
class Boto3LeastPrivilegeTest {
    @TempDir
    Path dir;

    @Test
    void boto3LeastPrivilegeSuitePasses() throws Exception {
        TestIssuer issuer = new TestIssuer("https://oidc.boto3.test/cluster", dir);
        try (TestServer server = TestServer.start(c -> c.withOidcJwks(issuer.pin()))) {
            Path token = dir.resolve("token");
            Files.writeString(token, issuer.token("system:serviceaccount:payments:api", "sts.amazonaws.com", Instant.now()));
            Path other = dir.resolve("other-token");
            Files.writeString(other, issuer.token("system:serviceaccount:billing:batch", "sts.amazonaws.com", Instant.now()));
            System.out.println(PythonSuite.run("boto3_least_privilege.py", server, Map.of(
                    "COFFER_OIDC_ISSUER", issuer.url(), "COFFER_TOKEN_FILE", token.toString(),
                    "COFFER_OTHER_TOKEN_FILE", other.toString()), 5));
        }
    }
}
