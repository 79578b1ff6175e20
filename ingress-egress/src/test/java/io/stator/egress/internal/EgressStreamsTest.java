package io.stator.egress.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressLog;
import io.stator.egress.EgressLogs;
import io.stator.logs.LogContext;
import io.stator.sdk.TypeName;
import io.stator.support.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams of clients that go away with events still queued for them. */
@Timeout(60)
class EgressStreamsTest {
    private static final TypeName OUT = TypeName.typeNameOf("test", "out");
    private static final int STREAMS = 8;

    @TempDir
    Path dir;

    /**
     * Each event Undertow had not written yet fails on its own when the client goes; each failure used to queue a
     * stop of the stream on the streams' one thread: up to a thousand tasks per client, which under churn (many
     * short-lived readers of a long backlog) held that thread and every other stream behind them for seconds.
     */
    @Test
    void aClientThatGoesAwayWithAQueueStopsItsStreamOnce() throws Exception {
        try (EgressLogs logs = new EgressLogs(dir, new LogContext())) {
            EgressLog log = logs.get(OUT);
            byte[] value = new byte[1024];
            for (int i = 0; i < 4 * EgressStreams.MAX_UNWRITTEN_EVENTS; i++) {
                log.append(1, OUT, value);
            }
            log.commit(1);
            EgressStreams streams = new EgressStreams(Duration.ofHours(1)); // no periodic polls among the counted
            try (TestServer server = TestServer.start("/s", exchange -> streams.start(exchange,
                    () -> Optional.of(log), 0, true), null, null)) {
                URI uri = URI.create(server.baseUrl());
                List<Socket> clients = new ArrayList<>();
                for (int i = 0; i < STREAMS; i++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096); // reads nothing: the events queue up on the server
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    clients.add(socket);
                }
                awaitTrue(() -> streams.openStreams() == STREAMS, "every stream open");
                Thread.sleep(300); // each reads its backlog until a thousand events wait for its client
                long runBefore = streams.tasksRunAndQueued()[0];
                for (Socket socket : clients) {
                    socket.setSoLinger(true, 0); // a reset, as a killed client's
                    socket.close();
                }
                awaitTrue(() -> streams.openStreams() == 0, "every stream stopped");
                awaitTrue(() -> streams.tasksRunAndQueued()[1] == 0, "the thread idle");
                long run = streams.tasksRunAndQueued()[0] - runBefore;
                assertTrue(run < 20L * STREAMS, run + " tasks for " + STREAMS + " clients that went");
            } finally {
                streams.close();
            }
        }
    }

    /** A client that reads nothing of a stream of 1 MiB records: the server holds a few megabytes for it, not all. */
    @Test
    void aSlowClientOfLargeRecordsIsHeldToAFewMegabytes() throws Exception {
        try (EgressLogs logs = new EgressLogs(dir, new LogContext())) {
            EgressLog log = logs.get(OUT);
            for (int i = 0; i < 60; i++) {
                log.append(1, OUT, new byte[1 << 20]); // ~1.4 MB of base64 each
            }
            log.commit(1);
            EgressStreams streams = new EgressStreams(Duration.ofMillis(5));
            try (TestServer server = TestServer.start("/s", exchange -> streams.start(exchange,
                    () -> Optional.of(log), 0, true), null, null);
                 Socket socket = new Socket()) {
                URI uri = URI.create(server.baseUrl());
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                socket.getOutputStream().write(("GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                awaitTrue(() -> streams.unwrittenChars() > 0, "events waiting for the client");
                long most = 0;
                for (int i = 0; i < 50; i++) {
                    Thread.sleep(10);
                    most = Math.max(most, streams.unwrittenChars());
                }
                assertTrue(most <= EgressStreams.MAX_UNWRITTEN_CHARS + 2_000_000, most + " characters held");
                java.io.InputStream in = socket.getInputStream();
                byte[] buffer = new byte[1 << 16];
                long read = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read < 60L * 1_398_000 && System.nanoTime() < deadline) {
                    int n = in.read(buffer);
                    assertTrue(n > 0, "the stream ended early after " + read + " bytes");
                    read += n;
                }
                assertTrue(read >= 60L * 1_398_000, "all sixty records reach the client once it reads: " + read);
            } finally {
                streams.close();
            }
        }
    }

    /** Three clients that read nothing share a smaller bound for all streams: together they hold about that much. */
    @Test
    void slowClientsTogetherAreHeldToTheBoundForAllStreams() throws Exception {
        long allBound = 6 << 20;
        try (EgressLogs logs = new EgressLogs(dir, new LogContext())) {
            EgressLog log = logs.get(OUT);
            for (int i = 0; i < 30; i++) {
                log.append(1, OUT, new byte[1 << 20]);
            }
            log.commit(1);
            EgressStreams streams = new EgressStreams(Duration.ofMillis(5), allBound);
            List<Socket> clients = new ArrayList<>();
            try (TestServer server = TestServer.start("/s", exchange -> streams.start(exchange,
                    () -> Optional.of(log), 0, true), null, null)) {
                URI uri = URI.create(server.baseUrl());
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096);
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    socket.getOutputStream().write(("GET /s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    clients.add(socket);
                }
                awaitTrue(() -> streams.openStreams() == 3, "three streams");
                long most = 0;
                for (int i = 0; i < 50; i++) {
                    Thread.sleep(10);
                    most = Math.max(most, streams.unwrittenChars());
                }
                assertTrue(most <= allBound + 3 * 1_400_000, most + " characters held for three clients");
                long run = streams.tasksRunAndQueued()[0];
                Thread.sleep(200);
                run = streams.tasksRunAndQueued()[0] - run;
                assertTrue(run < 500, run + " tasks in 200 ms: a waiting stream must not spin (its polls: ~120)");
            } finally {
                for (Socket socket : clients) {
                    socket.close();
                }
                streams.close();
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(5);
        }
        assertEquals(true, condition.getAsBoolean());
    }
}
