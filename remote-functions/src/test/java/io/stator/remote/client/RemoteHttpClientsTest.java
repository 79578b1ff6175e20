package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The runtime's HTTP client for remote functions. */
class RemoteHttpClientsTest {
    /**
     * With Nagle's algorithm on, a request body over OkHttp's 8 KiB buffer waited ~40 ms for a delayed ACK on every
     * call (measured: 44 ms against 1.2 ms per 20 KB call on loopback). The connection a call really used must
     * have it off.
     */
    @Test
    void theConnectionsACallUsesHaveNaglesAlgorithmOff() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        AtomicReference<Boolean> noDelay = new AtomicReference<>();
        OkHttpClient client = RemoteHttpClients.create(2).newBuilder()
                .addNetworkInterceptor(chain -> {
                    noDelay.set(chain.connection().socket().getTcpNoDelay());
                    return chain.proceed(chain.request());
                })
                .build();
        try (Response response = client.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + server.getAddress().getPort() + "/fn")
                .post(RequestBody.create(new byte[20_000], MediaType.get("application/octet-stream"))).build())
                .execute()) {
            assertEquals(200, response.code());
        } finally {
            server.stop(0);
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
        assertTrue(noDelay.get(), "TCP_NODELAY on the call's socket");
    }

    @Test
    void aClientWithoutCallSlotsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RemoteHttpClients.create(0));
    }
}
