package dev.coffer.server.audit.export;

import dev.coffer.server.store.AuditRow;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Audit events to a syslog receiver: RFC 5424 messages ({@link SyslogMessage}) over one TCP connection with
 * octet-counting framing (RFC 6587), in TLS for {@code tcp+tls://} (RFC 5425; the receiver's certificate must name
 * its host). A failed connection is dropped and made again on the next attempt, which the exporter paces with backoff.
 *
 * <p>Syslog has no acknowledgement: a batch counts as delivered once it is written and flushed to a connection the
 * receiver has not closed. The connection is checked before and shortly after each batch — a receiver never sends,
 * so a read that sees the end of the stream or a reset means it went away — and the batch is sent again on a new
 * connection if it did. That catches a receiver that restarted (the common case); bytes in flight when the network
 * between the two silently fails can still be lost, a limit of syslog over TCP.
 */
final class SyslogSink implements AuditSink {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int WRITE_TIMEOUT_MILLIS = 30_000;
    private static final int CHECK_AFTER_MILLIS = 20;

    private final SyslogExport settings;
    private final SSLContext tls;
    private final String hostname;
    private final String procId = Long.toString(ProcessHandle.current().pid());
    private volatile Socket socket;
    private OutputStream out;
    private InputStream in;

    SyslogSink(SyslogExport settings) throws IOException {
        this.settings = settings;
        this.tls = settings.tls() ? PemTrust.context(settings.caFile()) : null;
        this.hostname = localHostname();
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public synchronized void deliver(List<AuditRow> events) throws IOException {
        try {
            if (socket != null && !alive(1)) disconnect();
            if (socket == null) connect();
            for (AuditRow event : events) out.write(SyslogMessage.frame(event, hostname, procId));
            out.flush();
            if (!alive(CHECK_AFTER_MILLIS)) throw new IOException("the syslog receiver closed the connection");
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MILLIS);
            plain.setKeepAlive(true);
            plain.setSoTimeout(WRITE_TIMEOUT_MILLIS);
            Socket s = plain;
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, settings.host(), settings.port(), true);
                SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                secure.setSSLParameters(params);
                secure.startHandshake();
                s = secure;
            }
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            in = s.getInputStream();
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** Whether the receiver still has the connection open, waiting up to {@code millis} for it to say otherwise. */
    private boolean alive(int millis) {
        try {
            socket.setSoTimeout(millis);
            try {
                // A receiver sends nothing; anything it does send is read and ignored.
                while (true) {
                    if (in.read() < 0) return false;
                }
            } catch (SocketTimeoutException quiet) {
                return true;
            } finally {
                socket.setSoTimeout(WRITE_TIMEOUT_MILLIS);
            }
        } catch (IOException e) {
            return false;
        }
    }

    private void disconnect() {
        Socket s = socket;
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken connection
        }
        socket = null;
        out = null;
        in = null;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    /** Not synchronized: closing the socket is what unblocks a delivery stuck writing to a receiver that stopped reading. */
    @Override
    public void close() {
        Socket s = socket;
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken connection
        }
    }

    @Override
    public String toString() {
        return "syslog " + settings;
    }
}
