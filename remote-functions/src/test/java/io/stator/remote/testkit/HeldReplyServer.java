package io.stator.remote.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 that holds each request until the test scripts a reply for it (then answers
 * 200 with those bytes), so a test can keep a batch in flight while it changes something. A request still
 * unanswered after 20 s gets a 500. Requests are answered in arrival order.
 */
public final class HeldReplyServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
    private final Semaphore arrivals = new Semaphore(0);
    private final AtomicInteger received = new AtomicInteger();

    public HeldReplyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Lets the oldest held request (or the next one to arrive) be answered with {@code body}. */
    public void reply(byte[] body) {
        replies.add(body);
    }

    /** Waits until {@code n} more requests have arrived; fails after 10 s. */
    public void awaitRequests(int n) throws InterruptedException {
        if (!arrivals.tryAcquire(n, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not receive " + n + " more requests within 10 s");
        }
    }

    /** @return requests received so far */
    public int received() {
        return received.get();
    }

    public String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            arrivals.release();
            byte[] body;
            try {
                body = replies.poll(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                body = null;
            }
            int status = body == null ? 500 : 200;
            byte[] out = body == null ? new byte[0] : body;
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
