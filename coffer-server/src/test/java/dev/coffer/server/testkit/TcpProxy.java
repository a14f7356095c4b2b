package dev.coffer.server.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a node and its database that a test can cut and restore: the network failing
 * between them, without disturbing the database other tests use. Cut closes every relayed connection and
 * refuses new ones (as a dead host's RST would); restore accepts again.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final InetAddress from;
    private volatile boolean cut;

    public TcpProxy(String targetHostPort) throws IOException {
        this(targetHostPort, null);
    }

    /**
     * A relay whose connections to the target leave from {@code from} (e.g. another loopback address such as
     * 127.0.1.9), so the target sees its clients at that address; null: any.
     */
    public TcpProxy(String targetHostPort, InetAddress from) throws IOException {
        this.from = from;
        int colon = targetHostPort.lastIndexOf(':');
        this.targetHost = targetHostPort.substring(0, colon);
        this.targetPort = Integer.parseInt(targetHostPort.substring(colon + 1));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy").start(this::acceptLoop);
    }

    public String hostPort() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.setSoLinger(true, 0); // reset, as a host that is gone
                    client.close();
                    continue;
                }
                Socket server = new Socket();
                if (from != null) server.bind(new InetSocketAddress(from, 0));
                server.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server));
                Thread.ofVirtual().start(() -> pump(server, client));
            } catch (IOException e) {
                // listener closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** The network fails: every connection through the proxy is reset and new ones are refused. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    /** The network is back. */
    public void restore() {
        cut = false;
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
