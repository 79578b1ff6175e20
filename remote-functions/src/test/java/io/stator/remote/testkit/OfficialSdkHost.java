package io.stator.remote.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.slice.Slice;
import org.apache.flink.statefun.sdk.java.slice.Slices;

/**
 * Hosts functions written with the OFFICIAL StateFun Java SDK 3.3.0 behind a JDK {@link HttpServer} on
 * 127.0.0.1, the way statefun-wire.md §11 describes: body bytes into {@code RequestReplyHandler.handle}, the
 * reply back with {@code Content-Type: application/octet-stream}, 500 on a failed future.
 */
public final class OfficialSdkHost implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger requests = new AtomicInteger();

    public OfficialSdkHost(StatefulFunctions functions) throws IOException {
        RequestReplyHandler handler = functions.requestReplyHandler();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(handler, exchange));
        server.start();
    }

    private void serve(RequestReplyHandler handler, HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] reply;
            try {
                Slice slice = handler.handle(Slices.wrap(body)).get(10, TimeUnit.SECONDS);
                reply = slice.toByteArray();
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    /** @return a URL template for this host */
    public String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
    }

    /** @return how many HTTP requests arrived */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
