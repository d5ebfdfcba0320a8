package io.userhub.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that answers every connection as slowly as it likes: the head and
 * body, one byte per interval, from the given byte on. What an attacker's (or a broken) backend
 * does to a fetch whose timeouts bound each read but not the whole.
 */
public final class TricklingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();

    /**
     * @param response      the whole HTTP response (status line, headers, body)
     * @param sentAtOnce    how many of its bytes go at once before the trickle starts
     * @param intervalMillis the pause before each further byte
     */
    public TricklingServer(String response, int sentAtOnce, long intervalMillis) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    connections.incrementAndGet();
                    Thread writer = new Thread(() -> trickle(client, bytes, sentAtOnce, intervalMillis), "trickle-writer");
                    writer.setDaemon(true);
                    writer.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "trickle-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void trickle(Socket client, byte[] bytes, int sentAtOnce, long intervalMillis) {
        try (client; OutputStream out = client.getOutputStream()) {
            out.write(bytes, 0, Math.min(sentAtOnce, bytes.length));
            out.flush();
            for (int i = sentAtOnce; i < bytes.length; i++) {
                Thread.sleep(intervalMillis);
                out.write(bytes[i]);
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the client gave up: what the test wants
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
