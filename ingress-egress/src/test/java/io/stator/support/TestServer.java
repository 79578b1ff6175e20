package io.stator.support;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An Undertow server on 127.0.0.1, port chosen by the OS, with handlers mounted at path prefixes. */
public final class TestServer implements AutoCloseable {
    private final Undertow server;
    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Undertow server) {
        this.server = server;
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        this.baseUrl = "http://127.0.0.1:" + address.getPort();
    }

    /** Starts a server with the handlers mounted at their prefixes. */
    public static TestServer start(String prefix, HttpHandler handler, String prefix2, HttpHandler handler2) {
        return startOn(0, prefix, handler, prefix2, handler2);
    }

    /** As {@link #start}, on {@code port} (0: a free one): a server started again where clients knew it. */
    public static TestServer startOn(int port, String prefix, HttpHandler handler, String prefix2,
            HttpHandler handler2) {
        PathHandler paths = Handlers.path();
        paths.addPrefixPath(prefix, handler);
        if (prefix2 != null) {
            paths.addPrefixPath(prefix2, handler2);
        }
        Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(paths).build();
        server.start();
        return new TestServer(server);
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return baseUrl;
    }

    /** @return a shared client */
    public HttpClient client() {
        return client;
    }

    /** Sends a request to a path (with query) and returns the answer as text. */
    public HttpResponse<String> send(String method, String pathAndQuery, HttpRequest.BodyPublisher body,
            String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs text. */
    public HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        return send("POST", pathAndQuery, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    /** GETs a path. */
    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", pathAndQuery, HttpRequest.BodyPublishers.noBody(), headers);
    }

    @Override
    public void close() {
        server.stop();
    }
}
