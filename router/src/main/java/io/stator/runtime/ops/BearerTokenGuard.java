package io.stator.runtime.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The security default for the endpoints that change things (admin API, ingress): wraps a handler so that it
 * answers only requests carrying {@code Authorization: Bearer <token>}.
 *
 * <table>
 *   <caption>What {@link #wrap} returns</caption>
 *   <tr><th>bind address</th><th>token configured</th><th>result</th></tr>
 *   <tr><td>loopback (127.0.0.0/8, ::1, localhost)</td><td>no</td><td>the handler itself: only local processes
 *       can reach it</td></tr>
 *   <tr><td>any</td><td>yes</td><td>a guard: no or a wrong token gets 401 with {@code WWW-Authenticate}</td></tr>
 *   <tr><td>anything else (0.0.0.0, a LAN address, a host name)</td><td>no</td><td>a guard that refuses every
 *       request with 403, saying a token must be configured (logged once as a warning at start)</td></tr>
 * </table>
 *
 * The token is compared in constant time. Nothing is bound here: the bind address is only the value the server
 * was configured with.
 */
public final class BearerTokenGuard implements HttpHandler {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String PREFIX = "Bearer ";

    private final HttpHandler next;
    private final byte[] token;
    private final String bindHost;

    private BearerTokenGuard(HttpHandler next, byte[] token, String bindHost) {
        this.next = next;
        this.token = token;
        this.bindHost = bindHost;
    }

    /**
     * @param next        the handler to protect
     * @param bindHost    the address the HTTP server binds, as configured
     * @param tokenOrNull the bearer token, or null for none
     * @return {@code next} itself on loopback without a token, otherwise a guard in front of it
     * @throws IllegalArgumentException if the token is blank
     */
    public static HttpHandler wrap(HttpHandler next, String bindHost, String tokenOrNull) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(bindHost, "bindHost");
        if (tokenOrNull != null && tokenOrNull.isBlank()) {
            throw new IllegalArgumentException("the bearer token must not be blank");
        }
        if (tokenOrNull == null) {
            if (isLoopback(bindHost)) {
                return next;
            }
            return new BearerTokenGuard(next, null, bindHost); // OpsHandlers.mount says so in the log, once
        }
        return new BearerTokenGuard(next, tokenOrNull.getBytes(StandardCharsets.UTF_8), bindHost);
    }

    /**
     * @return whether {@code host} is a loopback address: {@code localhost}, 127.0.0.0/8 or ::1. A host name other
     *     than localhost counts as not loopback (it is not resolved)
     */
    public static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (IPV4.matcher(h).matches()) {
            return isLoopbackIpv4(h);
        }
        if (!h.contains(":")) {
            return false; // a host name: resolving it could name anything, so it is treated as public
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Parsed by hand: {@link InetAddress#getByName} would look up a malformed dotted quad in DNS. */
    private static boolean isLoopbackIpv4(String dotted) {
        String[] octets = dotted.split("\\.");
        for (String octet : octets) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return Integer.parseInt(octets[0]) == 127;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (token == null) {
            OpsHttp.text(exchange, 403, "HTTP is bound to " + bindHost + " without a token: this endpoint is refused"
                    + " until the runtime is started with a token (--token-file)");
            return;
        }
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            challenge(exchange, "missing Authorization: Bearer <token> header");
            return;
        }
        byte[] given = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            challenge(exchange, "wrong bearer token");
            return;
        }
        next.handleRequest(exchange);
    }

    private static void challenge(HttpServerExchange exchange, String reason) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"stator\"");
        OpsHttp.text(exchange, 401, reason);
    }
}
