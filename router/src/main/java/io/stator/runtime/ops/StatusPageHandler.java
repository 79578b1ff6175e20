package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Serves the status page: three classpath resources under {@code io/stator/ops/} (plain HTML, JS and CSS, no
 * build step, nothing from outside), at {@code /}, {@code /status.js} and {@code /status.css}. The page polls
 * {@code GET /v1/status} every second and draws its charts itself. Any other path is a 404: only the files named
 * here are served, so no request can reach another resource.
 *
 * <p>A strict Content-Security-Policy allows only this origin's script, style and fetches.
 */
final class StatusPageHandler implements HttpHandler {
    private static final String RESOURCES = "io/stator/ops/";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final HttpString CSP_HEADER = HttpString.tryFromString("Content-Security-Policy");
    private static final HttpString NOSNIFF = HttpString.tryFromString("X-Content-Type-Options");
    private static final HttpString REFERRER = HttpString.tryFromString("Referrer-Policy");

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    /** @throws IllegalStateException if a page resource is missing from the classpath (a broken build) */
    StatusPageHandler() {
        Asset page = load("index.html", "text/html; charset=utf-8");
        this.assets = Map.of(
                "/", page,
                "/index.html", page,
                "/status.js", load("status.js", "text/javascript; charset=utf-8"),
                "/status.css", load("status.css", "text/css; charset=utf-8"));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Asset asset = assets.get(exchange.getRequestPath());
        if (asset == null) {
            OpsHttp.text(exchange, 404, "no such page: " + exchange.getRequestPath() + " (the status page is at /)");
            return;
        }
        boolean head = Methods.HEAD.equals(exchange.getRequestMethod());
        if (!Methods.GET.equals(exchange.getRequestMethod()) && !head) {
            OpsHttp.methodNotAllowed(exchange, "GET");
            return;
        }
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, asset.contentType())
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(CSP_HEADER, CSP)
                .put(NOSNIFF, "nosniff")
                .put(REFERRER, "no-referrer");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, asset.bytes().length);
        if (head) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()));
    }

    private static Asset load(String name, String contentType) {
        String path = RESOURCES + name;
        try (InputStream in = StatusPageHandler.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the status page resource " + path + " is missing from the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page resource " + path, e);
        }
    }
}
