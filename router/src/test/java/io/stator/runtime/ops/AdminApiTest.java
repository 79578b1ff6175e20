package io.stator.runtime.ops;

import static io.stator.runtime.ops.OpsFunctions.REMOTE_ECHO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointRegistry;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.runtime.Stator;
import io.stator.sdk.Address;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API over HTTP on 127.0.0.1: listing functions, registering, replacing and removing remote endpoints
 * live (seen by a dispatcher over the same registry, as every partition's is), refusals with clear reasons.
 */
class AdminApiTest {
    private Stator stator;
    private RemoteEndpointRegistry registry;
    private RemoteFunctionServer functions;
    private OpsTestServer server;

    @BeforeEach
    void start() {
        stator = Stator.builder().partitions(1).withFunction(OpsFunctions.COUNTER_SPEC).start();
        registry = RemoteEndpointRegistry.of(List.of());
        functions = RemoteFunctionServer.builder().withFunction(OpsFunctions.REMOTE_ECHO_SPEC).start();
        server = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults().endpointRegistry(registry).maxBodyBytes(2048));
    }

    @AfterEach
    void stop() {
        server.close();
        functions.close();
        stator.close();
    }

    private String echoSpecJson() {
        return "{\"functions\": \"remote/*\", \"urlPathTemplate\": \"" + functions.baseUrl() + "{function.name}\","
                + " \"transport\": {\"type\": \"io.statefun.transports.v1/async\", \"call\": \"10s\"}}";
    }

    private HttpResponse<String> putEndpoint(String body) throws Exception {
        return server.put("/v1/admin/endpoints", body, "Content-Type", "application/json");
    }

    @Test
    void registeringAnEndpointLiveMakesItsFunctionsCallableWithoutARestart() throws Exception {
        try (PartitionThreadDouble partition = new PartitionThreadDouble(registry)) {
            assertFalse(partition.dispatcher.handles(REMOTE_ECHO), "nothing serves remote/echo before the PUT");

            HttpResponse<String> created = putEndpoint(echoSpecJson());

            assertEquals(201, created.statusCode(), created.body());
            Map<String, Object> answer = MetricsEndpointTest.json(created.body());
            assertEquals(false, answer.get("replaced"));
            assertEquals("remote/*", ((Map<?, ?>) answer.get("registered")).get("functions"));
            assertTrue(partition.dispatcher.handles(REMOTE_ECHO));
            partition.invoke(new Address(REMOTE_ECHO, "a"), "hi");
            partition.drainUntil("the remote function's egress", () -> partition.egress.size() == 1);
            assertEquals(List.of("echo:hi"), partition.egress);

            Map<String, Object> listed = MetricsEndpointTest.json(server.get("/v1/admin/functions").body());
            assertEquals("test/counter", ((Map<?, ?>) ((List<?>) listed.get("embedded")).get(0)).get("type"));
            assertEquals("remote/*", ((Map<?, ?>) ((List<?>) listed.get("remote")).get(0)).get("functions"));
            assertEquals(true, listed.get("endpointsChangeable"));
        }
    }

    @Test
    void aYamlBodyOrAWholeDocumentIsAcceptedAndReplacesThePattern() throws Exception {
        assertEquals(201, putEndpoint(echoSpecJson()).statusCode());
        String yaml = "kind: io.statefun.endpoints.v2/http\nspec:\n  functions: remote/*\n  urlPathTemplate: "
                + functions.baseUrl() + "v2/{function.name}\n  maxNumBatchRequests: 50\n";

        HttpResponse<String> replaced = server.put("/v1/admin/endpoints", yaml, "Content-Type", "application/yaml");

        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(true, MetricsEndpointTest.json(replaced.body()).get("replaced"));
        assertEquals(1, registry.endpoints().size());
        assertEquals(50, registry.endpoints().get(0).maxNumBatchRequests());
        assertTrue(registry.endpoints().get(0).urlPathTemplate().endsWith("v2/{function.name}"));
    }

    @Test
    void removingAnEndpointStopsServingItsTypes() throws Exception {
        assertEquals(201, putEndpoint(echoSpecJson()).statusCode());

        HttpResponse<String> removed = server.delete("/v1/admin/endpoints/remote/*");

        assertEquals(200, removed.statusCode(), removed.body());
        assertFalse(registry.serves(REMOTE_ECHO));
        HttpResponse<String> again = server.delete("/v1/admin/endpoints/remote/*");
        assertEquals(404, again.statusCode());
        assertTrue(again.body().contains("remote/*"), again.body());
    }

    @Test
    void aBadSpecGets400NamingTheField() throws Exception {
        assertBadRequest("{\"urlPathTemplate\": \"http://127.0.0.1:1/{function.name}\"}", "spec.functions");
        assertBadRequest("{\"functions\": \"remote/*\", \"urlPathTemplate\": \"ftp://nowhere/x\"}", "spec.urlPathTemplate");
        assertBadRequest("{\"functions\": \"remote/*\", \"urlPathTemplate\": \"http://h/{function.name}\","
                + " \"maxNumBatchRequests\": \"lots\"}", "spec.maxNumBatchRequests");
        assertBadRequest("{\"functions\": \"remote/*\", \"urlPathTemplate\": \"http://h/x\", \"colour\": 1}", "spec.colour");
        assertBadRequest("{\"functions\": \"remote/*\", \"urlPathTemplate\": \"http://h/x\","
                + " \"transport\": {\"call\": \"soon\"}}", "spec.transport.call");
        assertBadRequest("{\"functions\": ", "not valid YAML or JSON");
        assertBadRequest("[1, 2]", "spec:");
        assertBadRequest("kind: io.statefun.endpoints.v9/http\nspec: {}", "kind");
        assertTrue(registry.endpoints().isEmpty(), "nothing was registered");
    }

    private void assertBadRequest(String body, String field) throws Exception {
        HttpResponse<String> response = putEndpoint(body);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().startsWith(field) || response.body().contains(field),
                "the refusal names " + field + ": " + response.body());
        assertEquals(1, response.body().strip().lines().count(), "a one-line reason");
    }

    @Test
    void bodiesOverTheLimitAndWrongContentTypesAreRefused() throws Exception {
        HttpResponse<String> large = putEndpoint("{\"functions\": \"remote/*\", \"pad\": \"" + "x".repeat(4096) + "\"}");
        assertEquals(413, large.statusCode(), large.body());

        HttpResponse<String> binary = server.put("/v1/admin/endpoints", echoSpecJson(), "Content-Type",
                "application/x-protobuf");
        assertEquals(415, binary.statusCode(), binary.body());
    }

    @Test
    void stateReadsAreOffByDefaultAndShowAnAddressesStateWhenEnabled() throws Exception {
        HttpResponse<String> off = server.get("/v1/admin/state/test/counter/a");
        assertEquals(403, off.statusCode());
        assertTrue(off.body().contains("state reads are off") && off.body().contains("--allow-state-reads"),
                off.body());

        for (int i = 0; i < 3; i++) {
            stator.send(io.stator.sdk.MessageBuilder.forAddress(OpsFunctions.COUNTER, "a").withValue(1).build());
        }
        try (OpsTestServer enabled = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults().stateReads(true))) {
            long deadline = System.currentTimeMillis() + 10_000;
            String body = "";
            while (System.currentTimeMillis() < deadline && !body.contains("\"seen\":\"3\"")) {
                HttpResponse<String> on = enabled.get("/v1/admin/state/test/counter/a");
                assertEquals(200, on.statusCode(), on.body());
                body = on.body();
            }
            assertEquals("{\"address\":\"test/counter/a\",\"state\":{\"seen\":\"3\"}}", body.strip());
            HttpResponse<String> never = enabled.get("/v1/admin/state/test/counter/never-called");
            assertTrue(never.body().contains("\"seen\":null"), never.body());
            assertEquals(404, enabled.get("/v1/admin/state/no/such/x").statusCode());
        }
    }

    @Test
    void aSavepointTakesASnapshotAndAnswersItsId() throws Exception {
        HttpResponse<String> response = server.post("/v1/admin/savepoints", "");

        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> answer = MetricsEndpointTest.json(response.body());
        long id = ((Number) answer.get("snapshotId")).longValue();
        assertTrue(id >= 1, response.body());
        assertEquals(id, stator.snapshotStatus().lastId());
        assertEquals(405, server.get("/v1/admin/savepoints").statusCode());
    }

    @Test
    void withoutARegistryEndpointsAreListedButNotChangeable() throws Exception {
        try (OpsTestServer fixed = new OpsTestServer(OpsSources.of(stator), OpsOptions.defaults())) {
            assertEquals(501, fixed.put("/v1/admin/endpoints", echoSpecJson()).statusCode());
            assertEquals(501, fixed.delete("/v1/admin/endpoints/remote/*").statusCode());
            assertEquals(false, MetricsEndpointTest.json(fixed.get("/v1/admin/endpoints").body()).get("changeable"));
        }
    }

    @Test
    void unknownResourcesAndMethodsAreRefused() throws Exception {
        assertEquals(404, server.get("/v1/admin/nothing").statusCode());
        assertEquals(405, server.post("/v1/admin/functions", "").statusCode());
        HttpResponse<String> wrong = server.post("/v1/admin/endpoints", echoSpecJson());
        assertEquals(405, wrong.statusCode());
        assertEquals("GET, PUT", wrong.headers().firstValue("Allow").orElse(""));
    }
}
