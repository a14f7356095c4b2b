package dev.coffer.server.audit.export;

import java.time.Duration;

/**
 * Which sinks the audit trail is exported to, and how the exporters pace themselves.
 *
 * @param file        the JSON-lines file sink, or null
 * @param syslog      the syslog sink, or null
 * @param webhook     the webhook sink, or null
 * @param batch       at most this many events per delivery
 * @param poll        how often an idle exporter looks for new events
 * @param backoffBase the first pause after a failed delivery; each further failure doubles it (with jitter) ...
 * @param backoffCap  ... up to this
 */
public record ExportSettings(FileExport file, SyslogExport syslog, WebhookExport webhook, int batch, Duration poll,
                             Duration backoffBase, Duration backoffCap) {
    public static final int DEFAULT_BATCH = 500;
    public static final Duration DEFAULT_POLL = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(30);

    public ExportSettings {
        if (batch < 1) throw new IllegalArgumentException("the export batch must hold at least one event");
        if (poll == null) poll = DEFAULT_POLL;
        if (backoffBase == null) backoffBase = DEFAULT_BACKOFF_BASE;
        if (backoffCap == null) backoffCap = DEFAULT_BACKOFF_CAP;
    }

    public ExportSettings(FileExport file, SyslogExport syslog, WebhookExport webhook) {
        this(file, syslog, webhook, DEFAULT_BATCH, DEFAULT_POLL, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP);
    }

    public static ExportSettings none() {
        return new ExportSettings(null, null, null);
    }

    public boolean any() {
        return file != null || syslog != null || webhook != null;
    }

    public ExportSettings withPacing(int batch, Duration poll, Duration backoffBase, Duration backoffCap) {
        return new ExportSettings(file, syslog, webhook, batch, poll, backoffBase, backoffCap);
    }
}
