package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One audit event as an RFC 5424 syslog message in an RFC 6587 octet-counted frame:
 * {@code LEN SP <PRI>1 TIMESTAMP HOSTNAME coffer PROCID MSGID [coffer@32473 ...] BOM record-json}.
 *
 * <p>Facility 13 (log audit); severity notice (5) for a call that failed or was refused, info (6) otherwise. The
 * timestamp is the event's time, MSGID its eventName, and the structured data repeats the fields a receiver routes
 * and de-duplicates by ({@code eventID} first). 32473 is the enterprise number RFC 5612 sets aside for
 * documentation: Coffer has none of its own, and the SD-ID only has to be unique among what a receiver sees.
 * MSG is the CloudTrail record exactly as stored, in UTF-8 behind the byte order mark RFC 5424 asks for.
 */
final class SyslogMessage {
    static final int FACILITY_LOG_AUDIT = 13;
    static final int SEVERITY_NOTICE = 5;
    static final int SEVERITY_INFO = 6;
    static final String SD_ID = "coffer@32473";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private SyslogMessage() {}

    /** The framed message: octet count, a space, the RFC 5424 message. */
    static byte[] frame(AuditRow event, String hostname, String procId) {
        byte[] message = message(event, hostname, procId);
        byte[] count = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[count.length + message.length];
        System.arraycopy(count, 0, framed, 0, count.length);
        System.arraycopy(message, 0, framed, count.length, message.length);
        return framed;
    }

    static byte[] message(AuditRow event, String hostname, String procId) {
        int severity = event.errorCode() == null ? SEVERITY_INFO : SEVERITY_NOTICE;
        StringBuilder header = new StringBuilder(256)
                .append('<').append(FACILITY_LOG_AUDIT * 8 + severity).append(">1 ")
                .append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.eventTime()))).append(' ')
                .append(headerField(hostname, 255)).append(' ')
                .append("coffer ")
                .append(headerField(procId, 128)).append(' ')
                .append(headerField(event.eventName(), 32)).append(' ')
                .append('[').append(SD_ID);
        param(header, "eventID", event.eventId());
        param(header, "eventName", event.eventName());
        param(header, "eventSource", event.eventSource());
        param(header, "recipientAccountId", event.accountId());
        param(header, "errorCode", event.errorCode());
        param(header, "seq", Long.toString(event.seq()));
        header.append("] ");
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + event.recordJson().length() + 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(BOM);
        out.writeBytes(event.recordJson().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A header field: printable US-ASCII without spaces, cut to its length, "-" (NILVALUE) when empty. */
    static String headerField(String value, int max) {
        if (value == null) return "-";
        StringBuilder s = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && s.length() < max; i++) {
            char ch = value.charAt(i);
            if (ch >= 33 && ch <= 126) s.append(ch);
        }
        return s.isEmpty() ? "-" : s.toString();
    }

    private static void param(StringBuilder sd, String name, String value) {
        if (value == null) return;
        sd.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\' || ch == ']') sd.append('\\'); // RFC 5424 §6.3.3
            sd.append(ch);
        }
        sd.append('"');
    }
}
