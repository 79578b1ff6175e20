package io.stator.runtime.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stator.remote.protocol.ToFunction;
import io.stator.remote.server.FunctionRequestHandler;
import io.stator.sdk.StatefulFunctionSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves Stator SDK functions over StateFun's protocol on 127.0.0.1 (a JDK HTTP server in front of
 * {@link FunctionRequestHandler}) with faults injected: the first requests can be answered with HTTP 500, and
 * every request can be held for a while before it is served, to play a slow function. Records what arrived.
 */
final class FaultyFunctionHost implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final FunctionRequestHandler handler;
    private final int failFirst;
    private final long delayMillis;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger largestBatch = new AtomicInteger();

    private FaultyFunctionHost(List<StatefulFunctionSpec> functions, int failFirst, Duration delay) throws IOException {
        this.handler = new FunctionRequestHandler(functions);
        this.failFirst = failFirst;
        this.delayMillis = delay.toMillis();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    /**
     * @param function  the function to serve
     * @param failFirst how many of the first requests get HTTP 500 instead of being served
     * @param delay     how long each request is held before it is served (a slow function)
     */
    static FaultyFunctionHost start(StatefulFunctionSpec function, int failFirst, Duration delay) throws IOException {
        return new FaultyFunctionHost(List.of(function), failFirst, delay);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (requests.incrementAndGet() <= failFirst) {
                failures.incrementAndGet();
                send(exchange, 500, "text/plain", "injected failure".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int batch = ToFunction.parseFrom(body).getInvocation().getInvocationsCount();
            largestBatch.accumulateAndGet(batch, Math::max);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis); // plays a slow function; nothing waits on this for synchronisation
            }
            send(exchange, 200, "application/octet-stream", handler.handle(body).get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            send(exchange, 500, "text/plain", ("host failed: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** @return the URL template to configure the runtime's endpoint with */
    String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
    }

    /** @return the HTTP requests received so far, failed ones included */
    int requests() {
        return requests.get();
    }

    /** @return the requests answered with an injected HTTP 500 */
    int failures() {
        return failures.get();
    }

    /** @return the most invocations any single request carried */
    int largestBatch() {
        return largestBatch.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
