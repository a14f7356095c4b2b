package dev.coffer.server.bootstrap;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a node's store lives, from {@code --storage}: the embedded SQLite file in the data
 * directory (no URL), or a PostgreSQL database given as {@code postgresql://USER@HOST[:PORT]/DB[?params]}
 * (parameters such as {@code sslmode=verify-full} pass to the JDBC driver, which does the TLS). A
 * password is never part of the URL: it comes from a file or the environment, so it stays out of
 * process listings and shell history.
 */
record StorageLocation(String jdbcUrl, String user) {

    static StorageLocation parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--storage is not a URL: " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--storage takes postgresql://USER@HOST:PORT/DB, got scheme " + uri.getScheme());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("--storage takes postgresql://USER@HOST:PORT/DB (host and database are required)");
        }
        String user = uri.getUserInfo();
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException("--storage must not carry a password; use --storage-password-file or "
                    + "COFFER_STORAGE_PASSWORD");
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath()
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new StorageLocation(jdbc, user != null ? user : System.getProperty("user.name"));
    }
}
