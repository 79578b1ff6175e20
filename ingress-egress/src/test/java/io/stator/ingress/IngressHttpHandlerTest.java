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
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP ingress against a real log: one message per {@code POST /v1/ingress/{ns}/{type}/{id}}, and batches,
 * one JSON record per line, per {@code POST /v1/ingress} (one document, in order, all or none; a bad line refused
 * by its number; an idempotency key covering the batch, also after a restart).
 */
@Timeout(60)
class IngressHttpHandlerTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final TypeName NESTED = TypeName.parse("com/example/cart");
    /** Body limit of the handler under test: above a full batch of short records (~60 KiB). */
    private static final int LIMIT = 128 * 1024;

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

    /**
     * Clients that stall mid-body (a bug, a lost network) must not hold the server's threads: with the body read
     * blocking, sixty of them held every worker, and every other request waited for as long as they did.
     */
    @Test
    void clientsStalledMidBodyDoNotHoldUpOthers() throws Exception {
        java.net.URI uri = java.net.URI.create(server.baseUrl());
        List<java.net.Socket> stalled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort());
                socket.getOutputStream().write(("POST /v1/ingress/example/greeter/stalled" + i + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\nfirst bytes only")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/v1/ingress/example/greeter/alice"))
                        .timeout(java.time.Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("hi " + i))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, response.statusCode(), response.body());
            }
            assertEquals(20, IngressRecords.readAll(log).size(), "only the whole requests");
        } finally {
            for (java.net.Socket socket : stalled) {
                socket.close();
            }
        }
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

    @Test
    void aBatchIsOneDocumentWithItsRecordsInOrder() throws Exception {
        byte[] raw = {0, (byte) 0xff, 10};
        String body = "{\"function\":\"example/greeter\",\"id\":\"alice\",\"value\":\"hi \\\"there\\\"\"}\n"
                + "\n"
                + "{\"function\":\"com/example/cart\",\"id\":\"user/7\",\"type\":\"io.statefun.types/int\",\"value\":42}\r\n"
                + "{\"function\":\"example/greeter\",\"id\":\"bob\",\"type\":\"com.acme/Order\",\"valueBase64\":\""
                + Base64.getEncoder().encodeToString(raw) + "\"}\n";
        HttpResponse<String> response = server.post("/v1/ingress", body);
        assertEquals(202, response.statusCode(), response.body());

        List<Record> records = IngressRecords.readAll(log);
        assertEquals(3, records.size());
        long offset = records.get(0).position();
        assertEquals("{\"offset\":" + offset + ",\"records\":3}\n", response.body());
        assertTrue(records.stream().allMatch(r -> r.position() == offset), "one document");
        assertEquals(new Address(GREETER, "alice"), records.get(0).target());
        assertEquals("hi \"there\"", Types.stringType().deserialize(records.get(0).value()));
        assertEquals(new Address(NESTED, "user/7"), records.get(1).target());
        assertEquals(42, Types.intType().deserialize(records.get(1).value()));
        assertEquals(TypeName.parse("com.acme/Order"), records.get(2).valueType());
        assertArrayEquals(raw, records.get(2).value());
        assertEquals(gate.keyGroupFor(records.get(2).target()), records.get(2).keyGroup(), "from the gate");

        assertEquals(202, server.post("/v1/ingress/", line("carol", "x")).statusCode(), "a trailing slash too");
    }

    @Test
    void aBadLineRefusesTheWholeBatchNamingIt() throws Exception {
        String good = line("alice", "hi");
        assertRefused(server.post("/v1/ingress", good + "\n{\"function\":\"example/greeter\",\"id\":\"b\","
                + "\"type\":\"io.statefun.types/int\",\"value\":\"abc\"}"), 400, "line 2: payload 'abc' is not a valid");
        assertRefused(server.post("/v1/ingress", good + "\n" + good + "\n{\"function\":\"example/nobody\","
                + "\"id\":\"c\",\"value\":\"x\"}"), 404, "line 3: unknown function type example/nobody");
        assertRefused(server.post("/v1/ingress", "{\"function\":\"example/greeter\",\"value\":\"x\"}"), 400,
                "line 1: the record has no \"id\"");
        assertRefused(server.post("/v1/ingress", "{\"function\":\"example/greeter\",\"id\":\"a\"}"), 400,
                "exactly one of \"value\" and \"valueBase64\"");
        assertRefused(server.post("/v1/ingress", "{\"function\":\"example/greeter\",\"id\":\"a\",\"value\":\"x\","
                + "\"valueBase64\":\"eA==\"}"), 400, "exactly one of");
        assertRefused(server.post("/v1/ingress", "{\"function\":\"example/greeter\",\"id\":\"a\",\"valu\":\"x\"}"),
                400, "unknown member \"valu\"");
        assertRefused(server.post("/v1/ingress", "{\"function\":\"example/greeter\",\"id\":\"a\","
                + "\"valueBase64\":\"%%%\"}"), 400, "not base64");
        assertRefused(server.post("/v1/ingress", good + "\nhello"), 400, "line 2: not a flat JSON object");
        assertRefused(server.post("/v1/ingress", "\n\n"), 400, "no records");
    }

    @Test
    void moreRecordsThanABatchHoldsIs413() throws Exception {
        String body = (line("alice", "hi") + "\n").repeat(IngressBatch.MAX_RECORDS + 1);
        assertRefused(server.post("/v1/ingress", body), 413, "at most " + IngressBatch.MAX_RECORDS + " records");
        String full = (line("alice", "hi") + "\n").repeat(IngressBatch.MAX_RECORDS);
        assertEquals(202, server.post("/v1/ingress", full).statusCode());
        assertEquals(IngressBatch.MAX_RECORDS, IngressRecords.readAll(log).size());
    }

    /**
     * A JVM error during a request (a memory-mapped log's fault on a full disk would be one; here the gate throws it)
     * is reported to the gate as fatal, since the log takes no more appends after it; a stack overflow is not.
     */
    @Test
    void aJvmErrorDuringARequestIsReportedAsFatalButAStackOverflowIsNot() throws Exception {
        InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        gate.fail(fault);
        HttpResponse<String> failed = server.post("/v1/ingress", line("alice", "hi"));
        assertEquals(500, failed.statusCode(), failed.body());
        assertEquals(List.of(fault), gate.fatal());

        HttpResponse<String> single = server.post("/v1/ingress/example/greeter/alice", "hi"); // on the IO thread
        assertEquals(500, single.statusCode(), single.body());
        assertEquals(List.of(fault, fault), gate.fatal());

        gate.fail(new StackOverflowError());
        assertEquals(500, server.post("/v1/ingress/example/greeter/alice", "hi").statusCode());
        assertEquals(List.of(fault, fault), gate.fatal(), "a stack overflow is the request's, not the log's");
        assertEquals(0, IngressRecords.readAll(log).size());
        gate.fail(null);
        assertEquals(202, server.post("/v1/ingress/example/greeter/alice", "hi").statusCode(), "the server goes on");
    }

    /**
     * Where the work runs: a single record, keyed or not, on the connection's IO thread (it does not wait, and a
     * worker's hand-off costs the node more than the append), a batch on a worker (up to a MiB of JSON to parse).
     */
    @Test
    void singleRecordsAreAppendedOnTheIoThreadAndBatchesOnAWorker() throws Exception {
        assertEquals(202, server.post("/v1/ingress/example/greeter/alice", "hi").statusCode());
        assertEquals(202, server.post("/v1/ingress/example/greeter/bob", "hi", IngressHttpHandler.IDEMPOTENCY_KEY,
                "k1").statusCode());
        HttpResponse<String> batch = server.post("/v1/ingress", line("carol", "hi") + "\n" + line("dave", "hi"));
        assertEquals(202, batch.statusCode(), batch.body());
        List<String> threads = gate.keyGroupThreads();
        assertEquals(4, threads.size(), threads.toString());
        for (String io : threads.subList(0, 2)) {
            assertTrue(io.contains(" I/O-"), "single records on the IO thread: " + threads);
        }
        for (String worker : threads.subList(2, 4)) {
            assertTrue(worker.contains(" task-"), "a batch on a worker: " + threads);
        }
        assertEquals(4, IngressRecords.readAll(log).size());
    }

    /**
     * A keyed record that would wait on the IO thread (here: right after a restart, while the log reads back the
     * keys of its newest 150,001 records) goes on on a worker, which waits, and finds its key: appended once.
     */
    @Test
    void aKeyedRecordThatWouldWaitForItsKeyGoesOnOnAWorker() throws Exception {
        HttpResponse<String> first = server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key", "k1");
        assertEquals(202, first.statusCode(), first.body());
        for (int i = 0; i < 150_000; i++) {
            log.append(1, new io.stator.sdk.Address(GREETER, "x"), io.stator.sdk.Types.STRING_TYPENAME,
                    new byte[] {1}, null);
        }
        server.close();
        log.close();
        int before = gate.keyGroupThreads().size();
        start();
        HttpResponse<String> retry = server.post("/v1/ingress/example/greeter/alice", "hi", "Idempotency-Key", "k1");
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(first.body(), retry.body());
        List<String> retryThreads = gate.keyGroupThreads().subList(before, gate.keyGroupThreads().size());
        assertTrue(retryThreads.get(0).contains(" I/O-"), retryThreads.toString());
        if (retryThreads.size() > 1) { // the read-back was still going: checked again, and appended, on a worker
            assertEquals(2, retryThreads.size(), retryThreads.toString());
            assertTrue(retryThreads.get(1).contains(" task-"), retryThreads.toString());
        }
        assertEquals(150_001, IngressRecords.readAll(log).size());
    }

    @Test
    void aBatchUnderBackpressureIs503() throws Exception {
        gate.backpressure(true);
        HttpResponse<String> refused = server.post("/v1/ingress", line("alice", "hi"));
        assertRefused(refused, 503, "backpressured");
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    }

    @Test
    void aRetriedBatchWithTheSameIdempotencyKeyAppendsOnceAlsoAfterARestart() throws Exception {
        String body = line("alice", "one") + "\n" + line("bob", "two");
        HttpResponse<String> first = server.post("/v1/ingress", body, "Idempotency-Key", "batch-1");
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> retry = server.post("/v1/ingress", body, "Idempotency-Key", "batch-1");
        assertEquals(first.body(), retry.body());
        assertEquals(2, IngressRecords.readAll(log).size());

        server.close();
        log.close();
        start();
        HttpResponse<String> afterRestart = server.post("/v1/ingress", body, "Idempotency-Key", "batch-1");
        assertEquals(first.body(), afterRestart.body(), "the key was read back from the batch's first record");
        assertEquals(2, IngressRecords.readAll(log).size());
        assertEquals(202, server.post("/v1/ingress", body, "Idempotency-Key", "batch-2").statusCode());
        assertEquals(4, IngressRecords.readAll(log).size());
        assertEquals("two", Types.stringType().deserialize(IngressRecords.readAll(log).get(3).value()),
                "a keyed batch's records read back whole");
    }

    private static String line(String id, String value) {
        return "{\"function\":\"example/greeter\",\"id\":\"" + id + "\",\"value\":\"" + value + "\"}";
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
