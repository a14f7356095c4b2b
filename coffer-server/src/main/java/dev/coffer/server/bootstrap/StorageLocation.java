package dev.coffer.server.bootstrap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a node's store lives, from {@code --storage}: the embedded SQLite file in the data
 * directory (no URL), or a PostgreSQL database given as
 * {@code postgresql://USER@HOST[:PORT][,HOST2[:PORT]…]/DB[?params]}. Several hosts let the driver find
 * the primary of a replicated pair after a fail-over (with {@code targetServerType=primary}); parameters
 * such as {@code sslmode=verify-full} pass to the JDBC driver, which does the TLS. A password is never
 * part of the URL: it comes from a file or the environment, so it stays out of process listings and
 * shell history.
 */
record StorageLocation(String jdbcUrl, String user) {
    private static final Pattern URL = Pattern.compile(
            "(?<scheme>[a-z]+)://(?:(?<user>[^@/]*)@)?(?<hosts>[^/?#]*)(?<path>/[^?#]*)?(?:\\?(?<query>[^#]*))?");
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?");
    private static final Pattern DATABASE = Pattern.compile("/[A-Za-z0-9_.$-]+");

    static StorageLocation parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) throw new IllegalArgumentException("--storage takes postgresql://USER@HOST:PORT/DB"); // no echo: it may hold a password
        String scheme = m.group("scheme");
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("--storage takes postgresql://USER@HOST:PORT/DB, got scheme " + scheme);
        }
        String hosts = m.group("hosts");
        String path = m.group("path");
        if (hosts.isEmpty() || path == null || !DATABASE.matcher(path).matches()) {
            throw new IllegalArgumentException("--storage takes postgresql://USER@HOST:PORT/DB (host and database are required)");
        }
        for (String host : hosts.split(",", -1)) {
            if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("--storage: not a HOST[:PORT]: " + host);
        }
        String user = m.group("user");
        if (user != null && user.contains(":")) {
            throw new IllegalArgumentException("--storage must not carry a password; use --storage-password-file or "
                    + "COFFER_STORAGE_PASSWORD");
        }
        String jdbc = "jdbc:postgresql://" + hosts + path + (m.group("query") != null ? "?" + m.group("query") : "");
        return new StorageLocation(jdbc, user != null && !user.isEmpty() ? user : System.getProperty("user.name"));
    }
}
