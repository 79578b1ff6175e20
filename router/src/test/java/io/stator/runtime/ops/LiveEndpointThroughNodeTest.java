package io.stator.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a running node, over its own HTTP port: a remote endpoint registered through the admin API
 * makes its function type known to the ingress and callable, without a restart.
 */
class LiveEndpointThroughNodeTest {
    @TempDir
    Path data;

    @Test
    void anEndpointRegisteredOnARunningNodeServesIngressWithoutARestart() throws Exception {
        try (RemoteFunctionServer functions = RemoteFunctionServer.builder().withFunction(OpsFunctions.REMOTE_ECHO_SPEC).start();
             StatorNode node = StatorNode.start(Stator.builder().partitions(2).maxParallelism(16)
                     .snapshotInterval(Duration.ofMillis(100)).withFunction(OpsFunctions.COUNTER_SPEC), data, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + node.port();
            assertEquals(404, post(base + "/v1/ingress/remote/echo/a", "early").statusCode(),
                    "remote/echo is unknown before its endpoint is registered");

            HttpResponse<String> registered = OpsTestServer.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/endpoints"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"functions\": \"remote/*\", \"urlPathTemplate\": \""
                            + functions.baseUrl() + "{function.name}\"}")).build());
            assertEquals(201, registered.statusCode(), registered.body());

            HttpResponse<String> accepted = post(base + "/v1/ingress/remote/echo/a", "hello");
            assertEquals(202, accepted.statusCode(), accepted.body());
            awaitEgress(base + "/v1/egress/test/out", "echo:hello");

            String metrics = OpsTestServer.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build()).body();
            assertTrue(metrics.contains("stator_function_messages_in_total{function=\"remote/echo\",kind=\"remote\"} 1"),
                    metrics);
            assertTrue(metrics.contains("stator_ingress_lag_positions{partition=\"0\"}"), "the node wires the lag");
            assertTrue(metrics.contains("stator_remote_function_replies_applied_total{function=\"remote/echo\"} 1"),
                    "remote calls are counted per function type: " + metrics);
            assertTrue(metrics.contains("stator_remote_function_batches_in_flight{function=\"remote/echo\"} 0"), metrics);
            assertTrue(metrics.contains(
                    "stator_function_invocation_seconds_count{function=\"remote/echo\",kind=\"remote\"} 1"),
                    "the remote reply's latency is in the histogram: " + metrics);
            assertEquals(200, OpsTestServer.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build()).statusCode());
        }
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return OpsTestServer.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void awaitEgress(String url, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = OpsTestServer.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
            if (r.statusCode() == 200 && r.body().contains(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("egress " + url + " never showed " + expected);
    }
}
