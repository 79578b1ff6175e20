package io.stator.remote.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.protocol.FromFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RemoteFunctionServer} over real HTTP on 127.0.0.1, with functions on worker threads (the default);
 * {@link RemoteFunctionServerOnIoThreadsTest} runs the same tests with functions on the I/O thread.
 */
class RemoteFunctionServerTest {
    private static final TypeName PARKED = TypeName.typeNameOf("example", "parked");
    private static final TypeName OPENER = TypeName.typeNameOf("example", "opener");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final CompletableFuture<Void> parkedCalled = new CompletableFuture<>();
    private RemoteFunctionServer server;

    @BeforeEach
    void start() {
        // One I/O thread and one worker thread: if anything blocked on a parked function, the opener could never run.
        server = RemoteFunctionServer.builder()
                .withFunction(CounterFunction.SPEC)
                .withFunction(StatefulFunctionSpec.builder(PARKED).withSupplier(() -> (c, m) -> {
                    parkedCalled.complete(null);
                    return gate;
                }).build())
                .withFunction(StatefulFunctionSpec.builder(OPENER).withSupplier(() -> (c, m) -> {
                    gate.complete(null);
                    return null;
                }).build())
                .withIoThreads(1)
                .withWorkerThreads(1)
                .withFunctionsOnIoThreads(functionsOnIoThreads())
                .bind("127.0.0.1", 0)
                .start();
    }

    /** @return the server mode under test */
    boolean functionsOnIoThreads() {
        return false;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void replyIs200WithExactlyTheOctetStreamContentType() throws Exception {
        HttpResponse<byte[]> response = post("counter", StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .stateWithoutValue("seen").stateWithoutValue("name").invoke(null, "alice").bytes());

        assertEquals(200, response.statusCode());
        assertEquals(List.of("application/octet-stream"), response.headers().allValues("Content-Type"));
        FromFunction reply = FromFunction.parseFrom(response.body());
        assertEquals(2, reply.getInvocationResult().getStateMutationsCount());
    }

    @Test
    void missingStateReplyIsAlso200() throws Exception {
        HttpResponse<byte[]> response = post("any/path", StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .invoke(null, "alice").bytes());

        assertEquals(200, response.statusCode());
        assertEquals(2, FromFunction.parseFrom(response.body()).getIncompleteInvocationContext().getMissingValuesCount());
    }

    @Test
    void unknownFunctionTypeGets500WithATextBody() throws Exception {
        HttpResponse<byte[]> response = post("x", StatefunShapedRequests.to(TypeName.typeNameOf("example", "nope"), "a")
                .invoke(null, "x").bytes());

        assertEquals(500, response.statusCode());
        String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("example/nope"), text);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void garbageGets400AndGetGets405() throws Exception {
        assertEquals(400, post("x", new byte[] {(byte) 0xff, 0x00}).statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void aParkedAsyncFunctionHoldsNoThread() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> parked = http.sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "parked")).timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                StatefunShapedRequests.to(PARKED, "p").invoke(null, "wait").bytes())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        parkedCalled.get(20, TimeUnit.SECONDS); // the parked function runs, returns its open future, and waits

        HttpResponse<byte[]> opener = post("opener", StatefunShapedRequests.to(OPENER, "o").invoke(null, "open").bytes());

        assertEquals(200, opener.statusCode());
        assertEquals(200, parked.get(20, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void requestWithoutBatchGetsAnEmpty200() throws Exception {
        HttpResponse<byte[]> response = post("counter", io.stator.remote.protocol.ToFunction.getDefaultInstance().toByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(0, response.body().length);
        assertEquals(List.of("application/octet-stream"), response.headers().allValues("Content-Type"));
    }

    @Test
    void aLargeBodyReadInManyChunksArrivesWhole() throws Exception {
        // Far beyond one read buffer (Undertow's are 16 KiB at most); not beyond 65,535 bytes, since the counter
        // sends a message to the address whose id is this text.
        String big = "x".repeat(65_000);
        HttpResponse<byte[]> response = post("counter", StatefunShapedRequests.to(CounterFunction.TYPE, "a")
                .stateWithoutValue("seen").stateWithoutValue("name").invoke(null, big).invoke(null, "bob").bytes());

        assertEquals(200, response.statusCode());
        assertEquals(2, FromFunction.parseFrom(response.body()).getInvocationResult().getStateMutationsCount());
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsReadWhole() throws Exception {
        byte[] body = StatefunShapedRequests.to(CounterFunction.TYPE, "a").stateWithoutValue("seen")
                .stateWithoutValue("name").invoke(null, "y".repeat(20_000)).bytes();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "counter"))
                .timeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1) // chunked transfer encoding: no Content-Length
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals(2, FromFunction.parseFrom(response.body()).getInvocationResult().getStateMutationsCount());
    }
}
