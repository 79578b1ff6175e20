package io.stator.remote.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An HTTP server on 127.0.0.1 that answers each request with the next scripted reply (status, content type,
 * body) and records the request bodies: for checking exactly what the dispatcher sends and how it treats replies.
 */
public final class ScriptedServer implements AutoCloseable {
    /** One scripted HTTP reply; a null content type sends none. */
    public record Reply(int status, String contentType, byte[] body) {
        public static Reply ok(byte[] body) {
            return new Reply(200, "application/octet-stream", body);
        }

        public static Reply status(int status, String text) {
            return new Reply(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();

    public ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Appends replies to the script. */
    public ScriptedServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestBody().readAllBytes());
            Reply reply = script.poll();
            if (reply == null) {
                reply = Reply.status(500, "no scripted reply left");
            }
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /** @return the request bodies received so far, in order */
    public List<byte[]> requests() {
        return List.copyOf(requests);
    }

    public String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{function.name}";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
