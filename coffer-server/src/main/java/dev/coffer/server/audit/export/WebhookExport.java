package dev.coffer.server.audit.export;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The webhook sink's settings.
 *
 * @param url        where batches are POSTed; https, or http to a loopback address (or anywhere with
 *                   {@code allowHttp})
 * @param secretFile the shared key the body's HMAC-SHA256 signature is made with, or null for no signature
 * @param caFile     PEM certificates to trust instead of the JDK's default trust store, or null
 * @param timeout    how long one delivery may take (connecting, sending, the answer)
 */
public record WebhookExport(URI url, Path secretFile, Path caFile, boolean allowHttp, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookExport {
        if (url == null) throw new IllegalArgumentException("the webhook sink needs a URL");
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("--audit-export-webhook takes an https:// URL, got " + redacted(url));
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--audit-export-webhook: put no credentials in the URL; sign with "
                    + "--audit-export-webhook-secret-file instead");
        }
        if ("http".equals(scheme) && !allowHttp && !loopback(url.getHost())) {
            throw new IllegalArgumentException("--audit-export-webhook: plain http would send the audit trail in the clear to "
                    + url.getHost() + "; use https, or say --audit-export-webhook-insecure-http");
        }
        if (caFile != null && !"https".equals(scheme)) throw new IllegalArgumentException("a webhook CA file only applies to https");
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the webhook timeout must be positive");
    }

    public static WebhookExport parse(String url, Path secretFile, Path caFile, boolean allowHttp) {
        try {
            return new WebhookExport(new URI(url), secretFile, caFile, allowHttp, DEFAULT_TIMEOUT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--audit-export-webhook takes an https:// URL");
        }
    }

    /** The URL without its path and query, which some receivers use as a bearer secret: what logs may show. */
    static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + "/…";
    }

    private static boolean loopback(String host) {
        String h = host.replace("[", "").replace("]", "");
        if ("localhost".equalsIgnoreCase(h)) return true;
        // Only literal addresses: deciding by a DNS answer would let whoever controls DNS turn TLS off.
        if (!h.matches("[0-9.]+") && !h.contains(":")) return false;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "webhook " + redacted(url);
    }
}
