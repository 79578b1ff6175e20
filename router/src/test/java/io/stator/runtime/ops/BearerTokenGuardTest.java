package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.runtime.Stator;
import io.undertow.server.HttpHandler;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The security defaults: the admin API is open on loopback only; with any other bind address it needs the bearer
 * token, and without a configured token it refuses everything. The servers here always bind 127.0.0.1: the
 * "public" bind address is only the value the guard is told, never bound.
 */
class BearerTokenGuardTest {
    private static final String TOKEN = "s3cret-token";

    private Stator stator;

    @BeforeEach
    void start() {
        stator = Stator.builder().partitions(1).withFunction(OpsFunctions.COUNTER_SPEC).start();
    }

    @AfterEach
    void stop() {
        stator.close();
    }

    @Test
    void loopbackAddressesAreRecognisedWithoutLookingAnythingUp() {
        for (String host : new String[] {"127.0.0.1", "127.3.2.1", "localhost", "LOCALHOST", "::1", "[::1]",
                "0:0:0:0:0:0:0:1"}) {
            assertTrue(BearerTokenGuard.isLoopback(host), host);
        }
        for (String host : new String[] {"0.0.0.0", "10.1.2.3", "192.168.0.7", "::", "999.0.0.1", "127.0.0.256",
                "stator.example", "localhost.example"}) {
            assertFalse(BearerTokenGuard.isLoopback(host), host);
        }
    }

    @Test
    void onLoopbackWithoutATokenTheHandlerIsUnguarded() {
        HttpHandler handler = exchange -> { };
        assertSame(handler, BearerTokenGuard.wrap(handler, "127.0.0.1", null));
        assertNotSame(handler, BearerTokenGuard.wrap(handler, "127.0.0.1", TOKEN), "a configured token is always checked");
        assertThrows(IllegalArgumentException.class, () -> BearerTokenGuard.wrap(handler, "127.0.0.1", " "));
    }

    @Test
    void offLoopbackWithoutATokenTheAdminApiRefusesEverything() throws Exception {
        try (OpsTestServer server = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults().bindHost("0.0.0.0"))) {
            HttpResponse<String> refused = server.get("/v1/admin/functions");
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("token"), refused.body());
            assertEquals(403, server.get("/v1/admin/functions", "Authorization", "Bearer guess").statusCode());
            assertEquals(200, server.get("/metrics").statusCode(), "read-only endpoints stay open");
        }
    }

    @Test
    void offLoopbackTheAdminApiNeedsTheRightBearerToken() throws Exception {
        try (OpsTestServer server = new OpsTestServer(OpsSources.of(stator),
                OpsOptions.defaults().bindHost("192.168.10.20").token(TOKEN))) {
            HttpResponse<String> missing = server.get("/v1/admin/functions");
            assertEquals(401, missing.statusCode());
            assertEquals("Bearer realm=\"stator\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));

            assertEquals(401, server.get("/v1/admin/functions", "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, server.get("/v1/admin/functions", "Authorization", "Basic " + TOKEN).statusCode());
            assertEquals(401, server.delete("/v1/admin/endpoints/remote/*").statusCode(), "changes are refused too");

            HttpResponse<String> allowed = server.get("/v1/admin/functions", "Authorization", "Bearer " + TOKEN);
            assertEquals(200, allowed.statusCode(), allowed.body());
            assertEquals(200, server.get("/v1/status").statusCode());
        }
    }

    @Test
    void theGuardWrapsAnyHandlerSuchAsTheIngress() throws Exception {
        OpsOptions options = OpsOptions.defaults().bindHost("0.0.0.0").token(TOKEN);
        HttpHandler ingress = exchange -> exchange.getResponseSender().send("appended");
        io.undertow.server.handlers.PathHandler paths = io.undertow.Handlers.path()
                .addPrefixPath("/v1/ingress", OpsHandlers.guard(ingress, options));
        io.undertow.Undertow undertow = io.undertow.Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(paths).build();
        undertow.start();
        try {
            int port = ((java.net.InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/v1/ingress/test/counter/a");
            assertEquals(401, OpsTestServer.send(java.net.http.HttpRequest.newBuilder(uri)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build()).statusCode());
            HttpResponse<String> ok = OpsTestServer.send(java.net.http.HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build());
            assertEquals(200, ok.statusCode());
            assertEquals("appended", ok.body());
        } finally {
            undertow.stop();
        }
    }
}
