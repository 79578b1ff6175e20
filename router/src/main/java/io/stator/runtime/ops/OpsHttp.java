package io.stator.runtime.ops;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

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
