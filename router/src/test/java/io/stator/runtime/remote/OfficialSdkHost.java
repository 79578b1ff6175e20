package io.stator.runtime.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.slice.Slices;
import org.apache.flink.statefun.sdk.reqreply.generated.FromFunction;

/**
 * Serves functions written with the OFFICIAL Apache Flink StateFun Java SDK 3.3.0 on 127.0.0.1, the way a user
 * deploys them: the POST body goes to the SDK's {@link RequestReplyHandler}, its reply comes back as HTTP 200 with
 * {@code Content-Type: application/octet-stream}; a failed call answers 500. Counts requests and the replies that
 * asked for missing state, so a test can see the runtime's state round trip.
 */
final class OfficialSdkHost implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final RequestReplyHandler handler;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger missingStateReplies = new AtomicInteger();

    /** Starts serving {@code functions} on 127.0.0.1 at a free port. */
    OfficialSdkHost(StatefulFunctions functions) throws IOException {
        this.handler = functions.requestReplyHandler();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            byte[] reply;
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                reply = handler.handle(Slices.wrap(body)).get(10, TimeUnit.SECONDS).toByteArray();
                if (FromFunction.parseFrom(reply).hasIncompleteInvocationContext()) {
                    missingStateReplies.incrementAndGet();
                }
            } catch (Exception e) {
                byte[] text = ("the official SDK failed: " + e).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, text.length);
                exchange.getResponseBody().write(text);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    /** @return the URL template to configure the runtime's endpoint with */
    String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
    }

    /** @return the HTTP requests received so far */
    int requests() {
        return requests.get();
    }

    /** @return how many replies were an {@code IncompleteInvocationContext} (the SDK asking for its state) */
    int missingStateReplies() {
        return missingStateReplies.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
