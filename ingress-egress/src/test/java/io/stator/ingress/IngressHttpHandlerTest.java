package io.stator.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.logs.LogContext;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.support.FakeGate;
import io.stator.support.IngressRecords;
import io.stator.support.IngressRecords.Record;
import io.stator.support.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class IngressHttpHandlerTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final TypeName NESTED = TypeName.parse("com/example/cart");
    private static final int LIMIT = 64;

    @TempDir
    Path dir;

    private final FakeGate gate = new FakeGate(GREETER, NESTED);
    private IngressLog log;
    private TestServer server;

    @BeforeEach
    void start() {
        log = IngressLog.open(dir, new LogContext());
        server = TestServer.start(IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(log, gate, LIMIT), null, null);
    }

    @AfterEach
    void stop() {
        server.close();
        log.close();
    }

    @Test
    void builtInTextIsStoredInItsBuiltInEncoding() throws Exception {
        assertStored("io.statefun.types/int", "42", Types.intType().serialize(42));
        assertStored("io.statefun.types/long", "-9000000000", Types.longType().serialize(-9_000_000_000L));
        assertStored("io.statefun.types/bool", "true", Types.booleanType().serialize(true));
        assertStored("io.statefun.types/float", "1.5", Types.floatType().serialize(1.5f));
        assertStored("io.statefun.types/double", "2.5e3\n", Types.doubleType().serialize(2500.0));
        assertStored("io.statefun.types/string", "hello wörld", Types.stringType().serialize("hello wörld"));
    }

    @Test
    void theDefaultTypeIsStringAndOtherTypesKeepTheirBytes() throws Exception {
        HttpResponse<String> response = server.post("/v1/ingress/example/greeter/alice", "hi");
        assertEquals(202, response.statusCode(), response.body());
        Record record = only();
        assertEquals(Types.STRING_TYPENAME, record.valueType());
        assertEquals("hi", Types.stringType().deserialize(record.value()));
        assertEquals("{\"offset\":" + record.position() + "}\n", response.body());
        assertEquals(new Address(GREETER, "alice"), record.target());
        assertEquals(5, record.keyGroup(), "from the gate");

        byte[] raw = {0, (byte) 0xff, 10};
        HttpResponse<String> custom = server.send("POST", "/v1/ingress/example/greeter/alice?type=com.acme/Order",
                HttpRequest.BodyPublishers.ofByteArray(raw));
        assertEquals(202, custom.statusCode(), custom.body());
        Record second = IngressRecords.readAll(log).get(1);
        assertEquals(TypeName.parse("com.acme/Order"), second.valueType());
        assertArrayEquals(raw, second.value());
    }

    @Test
    void namespacesMaySpanSegmentsAndIdsMayHoldEncodedSlashes() throws Exception {
        HttpResponse<String> response = server.post("/v1/ingress/com/example/cart/user%2F7%20x", "1");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(new Address(NESTED, "user/7 x"), only().target());
    }

    @Test
    void anUnknownFunctionTypeIs404() throws Exception {
        assertRefused(server.post("/v1/ingress/example/nobody/alice", "hi"), 404, "example/nobody");
    }

    @Test
    void aBadAddressIs400() throws Exception {
        assertRefused(server.post("/v1/ingress/example/greeter/", "hi"), 400, "id is empty");
        assertRefused(server.post("/v1/ingress//greeter/alice", "hi"), 400, "namespace");
        assertRefused(server.post("/v1/ingress/exa%20mple/greeter/alice", "hi"), 400, "namespace");
        assertRefused(server.post("/v1/ingress/example/greeter", "hi"), 400, "bad address");
    }

    @Test
    void aPayloadInvalidForItsTypeIs400() throws Exception {
        assertRefused(server.post("/v1/ingress/example/greeter/alice?type=io.statefun.types/int", "abc"), 400,
                "'abc' is not a valid io.statefun.types/int");
        assertRefused(server.post("/v1/ingress/example/greeter/alice?type=io.statefun.types/int", "3000000000"),
                400, "io.statefun.types/int");
        assertRefused(server.post("/v1/ingress/example/greeter/alice?type=io.statefun.types/bool", "yes"), 400,
                "io.statefun.types/bool");
        assertRefused(server.post("/v1/ingress/example/greeter/alice?type=io.statefun.types/double", "1d"), 400,
                "io.statefun.types/double");
        assertRefused(server.send("POST", "/v1/ingress/example/greeter/alice",
                HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xc3, 0x28})), 400, "not UTF-8");
        assertRefused(server.post("/v1/ingress/example/greeter/alice?type=nonamespace", "x"), 400, "value type");
    }

    @Test
    void anOversizedBodyIs413WithOrWithoutContentLength() throws Exception {
        String big = "x".repeat(LIMIT + 1);
        assertRefused(server.post("/v1/ingress/example/greeter/alice", big), 413, "limit of " + LIMIT);
        HttpResponse<String> chunked = server.send("POST", "/v1/ingress/example/greeter/alice",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())));
        assertRefused(chunked, 413, "limit of " + LIMIT);
        assertEquals(202, server.post("/v1/ingress/example/greeter/alice", "x".repeat(LIMIT)).statusCode());
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = server.get("/v1/ingress/example/greeter/alice");
        assertRefused(response, 405, "GET");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
        assertRefused(server.send("PUT", "/v1/ingress/example/greeter/alice",
                HttpRequest.BodyPublishers.ofString("x")), 405, "PUT");
    }

    @Test
    void backpressureIs503WithRetryAfter() throws Exception {
        gate.backpressure(true);
        HttpResponse<String> response = server.post("/v1/ingress/example/greeter/alice", "hi");
        assertRefused(response, 503, "backpressured");
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        gate.backpressure(false);
        assertEquals(202, server.post("/v1/ingress/example/greeter/alice", "hi").statusCode());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAppendsOnceAlsoAfterARestart() throws Exception {
        HttpResponse<String> first = server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key", "k1");
        HttpResponse<String> retry = server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key", "k1");
        assertEquals(202, retry.statusCode());
        assertEquals(first.body(), retry.body());
        assertEquals(1, IngressRecords.readAll(log).size());

        server.close();
        log.close();
        start();
        HttpResponse<String> afterRestart =
                server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key", "k1");
        assertEquals(first.body(), afterRestart.body());
        assertEquals(1, IngressRecords.readAll(log).size());
        assertRefused(server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key",
                "k".repeat(IngressLog.MAX_IDEMPOTENCY_KEY_BYTES + 1)), 400, "Idempotency-Key", 1);
    }

    private void assertStored(String type, String body, byte[] expected) throws Exception {
        HttpResponse<String> response = server.post("/v1/ingress/example/greeter/alice?type=" + type, body);
        assertEquals(202, response.statusCode(), response.body());
        List<Record> records = IngressRecords.readAll(log);
        Record last = records.get(records.size() - 1);
        assertEquals(TypeName.parse(type), last.valueType());
        assertArrayEquals(expected, last.value(), type);
    }

    private Record only() {
        List<Record> records = IngressRecords.readAll(log);
        assertEquals(1, records.size());
        return records.get(0);
    }

    private void assertRefused(HttpResponse<String> response, int status, String reasonPart) {
        assertRefused(response, status, reasonPart, 0);
    }

    private void assertRefused(HttpResponse<String> response, int status, String reasonPart, int recordsBefore) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(reasonPart), response.body());
        assertEquals(1, response.body().split("\n").length, "one line: " + response.body());
        assertEquals(recordsBefore, IngressRecords.readAll(log).size(), "nothing appended");
    }
}
