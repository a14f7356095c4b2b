package dev.coffer.server.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A syslog receiver on loopback (TCP, or TLS with a given key store) that reads octet-counted frames (RFC 6587) and
 * parses each as an RFC 5424 message, strictly: header fields, structured data, and a MSG that is a JSON record
 * whose eventID matches the structured data's. Anything else counts as malformed. It can be stopped (connections
 * closed, the port refused) and started again on its port.
 */
final class SyslogReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP BOM MSG */
    static final Pattern RFC5424 = Pattern.compile("<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?Z) "
            + "([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) "
            + "(\\[([^ =\\]\"]+)((?: [^ =\\]\"]{1,32}=\"(?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*\")*)\\]) \uFEFF(.*)", Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile(" ([^ =\\]\"]{1,32})=\"((?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*)\"");

    private final int port;
    private final KeyStore tls;
    private final char[] password;
    private ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    final List<String> sdIds = new CopyOnWriteArrayList<>();
    final List<Integer> priorities = new CopyOnWriteArrayList<>();
    final AtomicInteger frames = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    private final ByteArrayOutputStream allBytes = new ByteArrayOutputStream();

    private SyslogReceiver(int port, KeyStore tls, char[] password) throws IOException {
        this.port = port;
        this.tls = tls;
        this.password = password;
        start();
    }

    static SyslogReceiver start(KeyStore tls, char[] password) throws IOException {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return new SyslogReceiver(port, tls, password);
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException {
        ServerSocket s;
        if (tls == null) {
            s = new ServerSocket();
        } else {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(tls, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                s = context.getServerSocketFactory().createServerSocket();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread.ofPlatform().daemon(true).name("syslog-receiver-accept").start(() -> accept(s));
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                accepted.incrementAndGet();
                connections.add(c);
                Thread.ofPlatform().daemon(true).name("syslog-receiver-read").start(() -> read(c));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket c) {
        try (InputStream in = new BufferedInputStream(c.getInputStream())) {
            while (true) {
                int length = 0;
                int b;
                int digits = 0;
                while ((b = in.read()) >= '0' && b <= '9') {
                    length = length * 10 + (b - '0');
                    digits++;
                }
                if (b < 0 && digits == 0) return; // the end, between frames
                if (b != ' ' || digits == 0 || length == 0) {
                    malformed.incrementAndGet();
                    return;
                }
                byte[] message = in.readNBytes(length);
                if (message.length < length) {
                    return; // cut off by a stop: the sender did not get its frame confirmed either
                }
                synchronized (allBytes) {
                    allBytes.writeBytes(message);
                }
                frames.incrementAndGet();
                parse(message);
            }
        } catch (IOException e) {
            // the connection went away
        } finally {
            connections.remove(c);
        }
    }

    private void parse(byte[] message) {
        Matcher m = RFC5424.matcher(new String(message, StandardCharsets.UTF_8));
        if (!m.matches()) {
            malformed.incrementAndGet();
            return;
        }
        try {
            priorities.add(Integer.parseInt(m.group(1)));
            sdIds.add(m.group(8));
            String sdEventId = null;
            Matcher p = PARAM.matcher(m.group(9));
            while (p.find()) if (p.group(1).equals("eventID")) sdEventId = p.group(2);
            JsonNode record = JSON.readTree(m.group(10));
            String id = record.path("eventID").asText(null);
            if (id == null || !id.equals(sdEventId) || !record.path("eventName").asText().equals(m.group(6))) {
                malformed.incrementAndGet();
                return;
            }
            eventIds.add(id);
        } catch (IOException e) {
            malformed.incrementAndGet();
        }
    }

    byte[] allBytes() {
        synchronized (allBytes) {
            return allBytes.toByteArray();
        }
    }

    /** Closes the listening socket and every connection, as a receiver that is restarted does. */
    synchronized void stop() throws IOException {
        if (server != null) server.close();
        server = null;
        for (Socket c : connections) c.close();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
