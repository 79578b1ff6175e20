package io.stator.web.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Sends the simple answers the handlers give: one line of text or JSON. */
public final class HttpReplies {
    /** {@code Retry-After}. */
    public static final HttpString RETRY_AFTER = HttpString.tryFromString("Retry-After");

    private HttpReplies() {
    }

    /** Ends the exchange with a status and a one-line text reason. */
    public static void text(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(oneLine(reason) + "\n");
    }

    /** Ends the exchange with a status and one line of JSON. */
    public static void json(HttpServerExchange exchange, int status, String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json + "\n");
    }

    /** Ends the exchange with 405 and the {@code Allow} header. */
    public static void methodNotAllowed(HttpServerExchange exchange, String allowed) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        text(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed on " + exchange.getRequestPath()
                + "; use " + allowed);
    }

    private static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
