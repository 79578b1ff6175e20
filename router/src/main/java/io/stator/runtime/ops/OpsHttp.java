package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/** The HTTP chores every ops handler shares: replies with the safe default headers, size-limited bodies. */
final class OpsHttp {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    private static final HttpString NOSNIFF = HttpString.tryFromString("X-Content-Type-Options");

    private OpsHttp() {
    }

    /** Ends the exchange with a status and a one-line text reason. */
    static void text(HttpServerExchange exchange, int status, String reason) {
        send(exchange, status, TEXT, oneLine(reason) + "\n");
    }

    /** Ends the exchange with a status and a JSON document. */
    static void json(HttpServerExchange exchange, int status, String json) {
        send(exchange, status, JSON, json + "\n");
    }

    /** Ends the exchange with 405 and the {@code Allow} header. */
    /**
     * The checks of a read-only endpoint that reads the runtime: on an IO thread it dispatches {@code self} to a
     * worker (a sample reads the logs' ends, which may touch files); anything but GET or HEAD is answered 405, a
     * sub-path 404.
     *
     * @return whether to answer the request here and now
     */
    static boolean readOnlyOnWorker(HttpServerExchange exchange, HttpHandler self) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(self);
            return false;
        }
        if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
            methodNotAllowed(exchange, "GET");
            return false;
        }
        if (!exchange.getRelativePath().isEmpty() && !exchange.getRelativePath().equals("/")) {
            text(exchange, 404, "no such resource: " + exchange.getRequestPath());
            return false;
        }
        return true;
    }

    static void methodNotAllowed(HttpServerExchange exchange, String allowed) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        text(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed on " + exchange.getRequestPath()
                + "; use " + allowed);
    }

    /** Ends the exchange with a body of the given type; answers are live data, so nothing is cached. */
    static void send(HttpServerExchange exchange, int status, String contentType, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(NOSNIFF, "nosniff");
        exchange.getResponseSender().send(body);
    }

    private static String oneLine(String text) {
        String s = text == null ? "" : text;
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
