package dev.coffer.server.audit.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The syslog sink's settings: RFC 5424 messages over TCP with octet-counting framing (RFC 6587), in TLS
 * (RFC 5425) for {@code tcp+tls://}.
 *
 * @param caFile PEM certificates to trust for TLS instead of the JDK's default trust store, or null
 */
public record SyslogExport(String host, int port, boolean tls, Path caFile) {
    public SyslogExport {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("the syslog sink needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the syslog sink's port must be 1-65535");
        if (caFile != null && !tls) throw new IllegalArgumentException("a syslog CA file only applies to tcp+tls://");
    }

    /** Parses {@code tcp://HOST:PORT} or {@code tcp+tls://HOST:PORT} (default ports 514 and 6514). */
    public static SyslogExport parse(String url, Path caFile) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--audit-export-syslog takes tcp://HOST:PORT or tcp+tls://HOST:PORT, got " + url);
        }
        String scheme = uri.getScheme();
        boolean tls = "tcp+tls".equals(scheme);
        if (!tls && !"tcp".equals(scheme) || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--audit-export-syslog takes tcp://HOST:PORT or tcp+tls://HOST:PORT, got " + url);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 6514 : 514;
        return new SyslogExport(uri.getHost().replace("[", "").replace("]", ""), port, tls, caFile);
    }

    @Override
    public String toString() {
        return (tls ? "tcp+tls://" : "tcp://") + host + ":" + port;
    }
}
