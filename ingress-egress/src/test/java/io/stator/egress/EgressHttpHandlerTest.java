package io.stator.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.logs.LogContext;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.support.SseClient;
import io.stator.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EgressHttpHandlerTest {
    private static final TypeName GREETS = TypeName.typeNameOf("example", "greets");
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long a test watches for an event that must not come; a slow machine only makes it pass vacuously. */
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private EgressLogs logs;
    private EgressLog log;
    private EgressHttpHandler handler;
    private TestServer server;

    @BeforeEach
    void start() {
        logs = new EgressLogs(dir, new LogContext());
        log = logs.get(GREETS);
        handler = new EgressHttpHandler(logs, Duration.ofMillis(5));
        server = TestServer.start(EgressHttpHandler.PATH_PREFIX, handler, null, null);
    }

    @AfterEach
    void stop() {
        handler.close(); // the runtime's order too: streams end, then the server stops, then the logs close
        server.close();
        logs.close();
    }

    @Test
    void aPageIsJsonLinesWithTheNextOffsetInAHeader() throws Exception {
        long a = log.append(1, Types.INT_TYPENAME, Types.intType().serialize(42));
        long b = log.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("hi \"you\"\n"));
        long c = log.append(1, TypeName.parse("com.acme/Blob"), new byte[] {1, 2, 3});
        long d = log.append(1, Types.DOUBLE_TYPENAME, Types.doubleType().serialize(Double.NaN));
        log.commit(1);

        HttpResponse<String> page = server.get("/v1/egress/example/greets");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals(List.of(
                "{\"offset\":" + a + ",\"epoch\":1,\"type\":\"io.statefun.types/int\",\"value\":42}",
                "{\"offset\":" + b + ",\"epoch\":1,\"type\":\"io.statefun.types/string\",\"value\":\"hi \\\"you\\\"\\n\"}",
                "{\"offset\":" + c + ",\"epoch\":1,\"type\":\"com.acme/Blob\",\"valueBase64\":\"AQID\"}",
                "{\"offset\":" + d + ",\"epoch\":1,\"type\":\"io.statefun.types/double\",\"value\":\"NaN\"}"),
                page.body().lines().toList());
        long next = Long.parseLong(page.headers().firstValue(EgressHttpHandler.NEXT_OFFSET).orElseThrow());
        assertEquals(log.endOffset(), next, "past the commit marker too");

        HttpResponse<String> limited = server.get("/v1/egress/example/greets?from=" + b + "&max=1");
        assertEquals(1, limited.body().lines().count());
        assertTrue(limited.body().startsWith("{\"offset\":" + b + ","));
        assertEquals(String.valueOf(b + 1), limited.headers().firstValue(EgressHttpHandler.NEXT_OFFSET).get());

        HttpResponse<String> caughtUp = server.get("/v1/egress/example/greets?from=" + next);
        assertEquals("", caughtUp.body());
        assertEquals(String.valueOf(next), caughtUp.headers().firstValue(EgressHttpHandler.NEXT_OFFSET).get());
    }

    @Test
    void uncommittedRecordsShowOnlyWhenAskedFor() throws Exception {
        log.append(1, Types.INT_TYPENAME, Types.intType().serialize(7));
        assertEquals("", server.get("/v1/egress/example/greets").body());
        assertEquals("", server.get("/v1/egress/example/greets?uncommitted=false").body());
        assertEquals(1, server.get("/v1/egress/example/greets?uncommitted=true").body().lines().count());
    }

    @Test
    void badRequestsAreRefusedWithOneLine() throws Exception {
        assertRefused(server.get("/v1/egress/example/nothing"), 404, "no egress named example/nothing");
        assertRefused(server.get("/v1/egress/example/greets?from=x"), 400, "from");
        assertRefused(server.get("/v1/egress/example/greets?from=-1"), 400, "from");
        assertRefused(server.get("/v1/egress/example/greets?max=0"), 400, "max");
        assertRefused(server.get("/v1/egress/example/greets?uncommitted=maybe"), 400, "uncommitted");
        assertRefused(server.get("/v1/egress/greets"), 400, "bad egress path");
        HttpResponse<String> post = server.send("POST", "/v1/egress/example/greets",
                HttpRequest.BodyPublishers.ofString("x"));
        assertRefused(post, 405, "POST");
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    }

    /** `tail --follow` started before the first output: the stream waits for the egress instead of a 404. */
    @Test
    void aStreamOfAnEgressWithNoLogYetWaitsForItsFirstRecord() throws Exception {
        TypeName later = TypeName.typeNameOf("example", "later");
        String url = server.baseUrl() + "/v1/egress/example/later/stream";
        try (SseClient stream = SseClient.connect(server.client(), url)) {
            assertEquals(200, stream.status());
            assertNull(stream.next(QUIET), "nothing while no function has emitted to it");
            EgressLog created = logs.get(later); // a function's first emit creates the log
            long offset = created.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("first"));
            created.commit(1);
            SseClient.Event event = stream.next(PATIENCE);
            assertNotNull(event, "the first committed record");
            assertEquals(String.valueOf(offset), event.id());
        }
        assertRefused(server.get("/v1/egress/example/nowhere/stream?from=x"), 400, "from");
    }

    @Test
    void theStreamDeliversARecordWhenItsEpochCommits() throws Exception {
        try (SseClient stream = SseClient.connect(server.client(), server.baseUrl() + "/v1/egress/example/greets/stream")) {
            assertEquals(200, stream.status());
            long offset = log.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("hello"));
            assertNull(stream.next(QUIET), "nothing before the commit");
            log.commit(1);
            SseClient.Event event = stream.next(PATIENCE);
            assertNotNull(event, "the record after the commit");
            assertEquals(String.valueOf(offset), event.id());
            assertEquals("{\"offset\":" + offset + ",\"epoch\":1,\"type\":\"io.statefun.types/string\","
                    + "\"value\":\"hello\"}", event.data());

            log.append(2, Types.INT_TYPENAME, Types.intType().serialize(1));
            log.abort(2);
            long third = log.append(3, Types.INT_TYPENAME, Types.intType().serialize(3));
            log.commit(3);
            assertEquals(String.valueOf(third), stream.next(PATIENCE).id(), "the aborted record is skipped");
        }
    }

    @Test
    void anUncommittedStreamDeliversAtOnceAndResumesAfterLastEventId() throws Exception {
        long first = log.append(1, Types.INT_TYPENAME, Types.intType().serialize(1));
        long second = log.append(1, Types.INT_TYPENAME, Types.intType().serialize(2));
        String url = server.baseUrl() + "/v1/egress/example/greets/stream?uncommitted=true";
        try (SseClient stream = SseClient.connect(server.client(), url)) {
            assertEquals(String.valueOf(first), stream.next(PATIENCE).id());
            assertEquals(String.valueOf(second), stream.next(PATIENCE).id());
        }
        try (SseClient resumed = SseClient.connect(server.client(), url, "Last-Event-ID", String.valueOf(first))) {
            assertEquals(String.valueOf(second), resumed.next(PATIENCE).id());
        }
        try (SseClient fromParam = SseClient.connect(server.client(), url + "&from=" + second)) {
            assertEquals(String.valueOf(second), fromParam.next(PATIENCE).id());
        }
    }

    /** A stream whose handler would look only once an hour must read a backlog through, and on a commit, at once. */
    @Test
    void aStreamReadsABacklogThroughAndWakesOnACommit() throws Exception {
        int backlog = 20 * 256 + 7; // twenty of the stream's batches and a bit
        for (int i = 0; i < backlog; i++) {
            log.append(1, Types.INT_TYPENAME, Types.intType().serialize(i));
        }
        log.commit(1);
        try (EgressHttpHandler hourly = new EgressHttpHandler(logs, Duration.ofHours(1));
             TestServer slow = TestServer.start(EgressHttpHandler.PATH_PREFIX, hourly, null, null);
             SseClient stream = SseClient.connect(slow.client(), slow.baseUrl() + "/v1/egress/example/greets/stream")) {
            for (int i = 0; i < backlog; i++) {
                SseClient.Event event = stream.next(PATIENCE);
                assertNotNull(event, "record " + i + " of the backlog");
                assertEquals(String.valueOf(i), event.id());
            }
            long next = log.append(2, Types.INT_TYPENAME, Types.intType().serialize(-1));
            assertNull(stream.next(QUIET), "nothing before the commit");
            log.commit(2);
            SseClient.Event woken = stream.next(PATIENCE);
            assertNotNull(woken, "the commit wakes the stream");
            assertEquals(String.valueOf(next), woken.id());
        }
    }

    /** An uncommitted stream whose handler would look only once an hour gets each record as it is appended. */
    @Test
    void anAppendWakesAnUncommittedStream() throws Exception {
        long first = log.append(1, Types.INT_TYPENAME, Types.intType().serialize(1));
        try (EgressHttpHandler hourly = new EgressHttpHandler(logs, Duration.ofHours(1));
             TestServer slow = TestServer.start(EgressHttpHandler.PATH_PREFIX, hourly, null, null);
             SseClient stream = SseClient.connect(slow.client(),
                     slow.baseUrl() + "/v1/egress/example/greets/stream?uncommitted=true")) {
            assertEquals(String.valueOf(first), stream.next(PATIENCE).id(), "the stream's first look");
            for (int i = 2; i <= 4; i++) {
                long next = log.append(1, Types.INT_TYPENAME, Types.intType().serialize(i));
                SseClient.Event woken = stream.next(PATIENCE);
                assertNotNull(woken, "append " + i + " wakes the stream");
                assertEquals(String.valueOf(next), woken.id());
            }
        }
    }

    /** A page of records of a megabyte ends early, at least one record in; the next offset goes on from there. */
    @Test
    void aPageOfLargeRecordsEndsEarlyAndTheNextGoesOn() throws Exception {
        for (int i = 0; i < 12; i++) {
            byte[] value = new byte[1 << 20];
            value[0] = (byte) i;
            log.append(1, TypeName.typeNameOf("test", "bytes"), value);
        }
        log.commit(1);
        long from = 0;
        int pages = 0;
        java.util.List<Long> offsets = new java.util.ArrayList<>();
        while (from < 12) {
            HttpResponse<String> page = server.get("/v1/egress/example/greets?from=" + from + "&max=12");
            assertEquals(200, page.statusCode());
            String[] lines = page.body().split("\n");
            assertTrue(lines.length >= 1 && page.body().length() < EgressHttpHandler.PAGE_CHARS + 1_500_000,
                    lines.length + " records, " + page.body().length() + " characters");
            for (String line : lines) {
                offsets.add(Long.parseLong(line.substring("{\"offset\":".length(), line.indexOf(','))));
            }
            from = Long.parseLong(page.headers().firstValue(EgressHttpHandler.NEXT_OFFSET).orElseThrow());
            pages++;
        }
        assertEquals(java.util.stream.LongStream.range(0, 12).boxed().toList(), offsets, "each record once, in order");
        assertTrue(pages >= 3, pages + " pages");
    }

    @Test
    void closingTheHandlerEndsOpenStreams() throws Exception {
        try (SseClient stream = SseClient.connect(server.client(), server.baseUrl() + "/v1/egress/example/greets/stream")) {
            assertEquals(200, stream.status());
            awaitOpenStreams(1);
            handler.close();
            assertTrue(stream.awaitEnd(PATIENCE), "the client sees the stream end");
            assertEquals(0, handler.openStreams());
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsStream() throws Exception {
        SseClient stream = SseClient.connect(server.client(), server.baseUrl() + "/v1/egress/example/greets/stream"
                + "?uncommitted=true");
        awaitOpenStreams(1);
        stream.close();
        // The server notices on its next write.
        for (int i = 0; i < 1_000 && handler.openStreams() > 0; i++) {
            log.append(1, Types.INT_TYPENAME, Types.intType().serialize(i));
            Thread.sleep(10); // paces the writes that reveal the closed connection; not synchronisation
        }
        assertEquals(0, handler.openStreams());
    }

    private void awaitOpenStreams(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (handler.openStreams() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, handler.openStreams());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reasonPart) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(reasonPart), response.body());
        assertEquals(1, response.body().split("\n").length, "one line: " + response.body());
    }
}
