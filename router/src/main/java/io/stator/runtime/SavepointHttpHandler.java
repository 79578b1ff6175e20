package io.stator.runtime;

import io.stator.runtime.internal.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.file.Path;
import java.util.Deque;

/**
 * {@code POST /v1/savepoints?name=NAME}: takes a snapshot and keeps it as a savepoint; answers
 * {@code {"id":..,"name":"..","path":".."}}. 400 for a bad or taken name, 405 for another method, 500 when the
 * snapshot fails. {@code GET /v1/savepoints/status} answers the last snapshot's status.
 */
final class SavepointHttpHandler implements HttpHandler {
    static final String PATH = "/v1/savepoints";

    private final StatorNode node;

    SavepointHttpHandler(StatorNode node) {
        this.node = node;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // a snapshot takes a while: never on an I/O thread
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        if (exchange.getRelativePath().equals("/status") && exchange.getRequestMethod().equals(Methods.GET)) {
            var s = node.stator().snapshotStatus();
            exchange.getResponseSender().send("{\"lastId\":" + s.lastId() + ",\"committedEpoch\":" + s.committedEpoch()
                    + ",\"durationMs\":" + s.durationNanos() / 1_000_000 + ",\"bytes\":" + s.bytes()
                    + ",\"pauseMicros\":" + s.pauseNanos() / 1000 + ",\"failures\":" + s.failures()
                    + (s.lastFailure() == null ? "" : ",\"lastFailure\":" + Json.string(s.lastFailure())) + "}\n");
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST) || !exchange.getRelativePath().isEmpty()
                && !exchange.getRelativePath().equals("/")) {
            exchange.setStatusCode(405);
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            exchange.getResponseSender().send("{\"error\":\"use POST /v1/savepoints?name=NAME\"}\n");
            return;
        }
        Deque<String> names = exchange.getQueryParameters().get("name");
        String name = names == null || names.isEmpty() ? null : names.getFirst();
        try {
            Path folder = node.savepoint(name);
            String id = folder.toFile().list() == null ? "?" : String.join(",", folder.toFile().list());
            exchange.getResponseSender().send("{\"id\":" + id + ",\"name\":" + Json.string(folder.getFileName().toString())
                    + ",\"path\":" + Json.string(folder.toAbsolutePath().toString()) + "}\n");
        } catch (IllegalArgumentException e) {
            exchange.setStatusCode(400);
            exchange.getResponseSender().send("{\"error\":" + Json.string(e.getMessage()) + "}\n");
        } catch (RuntimeException e) {
            exchange.setStatusCode(500);
            exchange.getResponseSender().send("{\"error\":" + Json.string(String.valueOf(e.getMessage())) + "}\n");
        }
    }
}
