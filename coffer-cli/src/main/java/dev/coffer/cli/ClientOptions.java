package dev.coffer.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every API verb shares: where the server is, which region to sign for, whose credentials. */
final class ClientOptions {
    @Option(names = "--endpoint-url", defaultValue = "http://127.0.0.1:8700",
            description = "The Coffer endpoint (default: ${DEFAULT-VALUE}).")
    URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "The region to sign for (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--profile",
            description = "Profile in the credentials file (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set, else AWS_PROFILE, else coffer-admin).")
    String profile;

    @Option(names = "--credentials-file",
            description = "Shared credentials file (default: ./coffer-data/admin.credentials if it exists, else ~/.aws/credentials).")
    Path credentialsFile;

    /** The environment credentials are read from; tests replace it. */
    static Map<String, String> environment = System.getenv();

    ApiClient client() {
        return new ApiClient(endpoint, region, SharedCredentials.resolve(profile, credentialsFile, environment));
    }
}
