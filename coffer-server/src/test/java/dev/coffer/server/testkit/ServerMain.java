package dev.coffer.server.testkit;

import dev.coffer.server.bootstrap.CofferConfig;
import dev.coffer.server.bootstrap.CofferServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Runs a Coffer server in its own JVM for tests that must kill it (crash tests):
 * {@code ServerMain --data-dir DIR [--port N]}. Prints {@code READY <endpoint>} on stdout once
 * the server accepts requests, then runs until the process is killed.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null;
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dataDir == null) throw new IllegalArgumentException("--data-dir is required");
        CofferServer server = CofferServer.start(new CofferConfig(dataDir, "127.0.0.1", port, null, Set.of(), null, null,
                false, false, Duration.ofMinutes(1)));
        System.out.println("READY " + server.endpoint());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
