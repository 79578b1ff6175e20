package io.stator.remote.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A function server's connections: one that keeps the server waiting for bytes is closed after the idle timeout
 * (a peer gone without a word would otherwise hold its socket for good), and beyond the connection bound a new
 * client waits until one closes.
 */
@Timeout(60)
class ServerConnectionsTest {
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (RemoteFunctionServer server = RemoteFunctionServer.builder().withFunction(CounterFunction.SPEC)
                .bind("127.0.0.1", 0).withIdleTimeout(Duration.ofMillis(300)).start();
             Socket idle = new Socket("127.0.0.1", server.port());
             Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab")
                    .getBytes(StandardCharsets.US_ASCII));
            for (Socket s : List.of(idle, stalled)) {
                s.setSoTimeout(20_000);
                long start = System.nanoTime();
                assertEquals(-1, readOrEnd(s), "closed without an answer");
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "closed within 10 s");
            }
        }
    }

    @Test
    void beyondTheConnectionBoundANewClientWaitsUntilOneCloses() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (RemoteFunctionServer server = RemoteFunctionServer.builder().withFunction(CounterFunction.SPEC)
                .bind("127.0.0.1", 0).withMaxConnections(2).start()) {
            for (int i = 0; i < 2; i++) { // each is answered, so each was accepted
                Socket s = new Socket("127.0.0.1", server.port());
                held.add(s);
                s.getOutputStream().write(GET);
                s.setSoTimeout(10_000);
                assertTrue(readHead(s).startsWith("HTTP/1.1 "), "connection " + i);
            }
            try (Socket third = new Socket("127.0.0.1", server.port())) {
                third.getOutputStream().write(GET);
                third.setSoTimeout(1_000);
                assertThrows(SocketTimeoutException.class, () -> third.getInputStream().read(), "not served");
                held.remove(0).close();
                third.setSoTimeout(10_000);
                assertTrue(readHead(third).startsWith("HTTP/1.1 "), "served once one closed");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static int readOrEnd(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static String readHead(Socket s) throws IOException {
        byte[] buf = new byte[512];
        int n = s.getInputStream().read(buf);
        return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
}
