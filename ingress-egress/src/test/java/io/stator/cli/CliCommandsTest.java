package io.stator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.egress.EgressHttpHandler;
import io.stator.egress.EgressLog;
import io.stator.egress.EgressLogs;
import io.stator.egress.TailCommand;
import io.stator.ingress.IngressBatch;
import io.stator.ingress.IngressHttpHandler;
import io.stator.ingress.IngressLog;
import io.stator.ingress.SendCommand;
import io.stator.logs.LogContext;
import io.stator.sdk.Address;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.support.FakeGate;
import io.stator.support.IngressRecords;
import io.stator.support.IngressRecords.Record;
import io.stator.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI commands against a real Undertow serving the real handlers. */
@Timeout(60)
class CliCommandsTest {
    private static final TypeName GREETER = TypeName.typeNameOf("example", "greeter");
    private static final TypeName GREETS = TypeName.typeNameOf("example", "greets");

    @TempDir
    Path dir;

    private final FakeGate gate = new FakeGate(GREETER);
    private IngressLog ingress;
    private EgressLogs egressLogs;
    private EgressLog greets;
    private EgressHttpHandler egressHandler;
    private TestServer server;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() {
        ingress = IngressLog.open(dir.resolve("ingress"), new LogContext());
        egressLogs = new EgressLogs(dir.resolve("egress"), new LogContext());
        greets = egressLogs.get(GREETS);
        egressHandler = new EgressHttpHandler(egressLogs, Duration.ofMillis(5));
        server = TestServer.start(IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(ingress, gate),
                EgressHttpHandler.PATH_PREFIX, egressHandler);
    }

    @AfterEach
    void stop() {
        egressHandler.close();
        server.close();
        egressLogs.close();
        ingress.close();
    }

    @Test
    void sendAppendsTheTypedPayloadAndPrintsTheOffset() {
        int code = SendCommand.run(new String[] {"example/greeter", "alice", "42", "--type", "io.statefun.types/int",
            "--url", server.baseUrl(), "--idempotency-key", "k1"}, out, err);
        assertEquals(0, code, err());
        List<Record> records = IngressRecords.readAll(ingress);
        assertEquals(1, records.size());
        assertEquals(new Address(GREETER, "alice"), records.get(0).target());
        assertEquals(42, Types.intType().deserialize(records.get(0).value()));
        assertEquals("{\"offset\":" + records.get(0).position() + "}", out().strip());

        assertEquals(0, SendCommand.run(new String[] {"example/greeter", "alice", "42", "--type",
            "io.statefun.types/int", "--url", server.baseUrl(), "--idempotency-key", "k1"}, out, err));
        assertEquals(1, IngressRecords.readAll(ingress).size(), "the retry appended nothing");

        assertEquals(0, SendCommand.run(new String[] {"--url=" + server.baseUrl() + "/", "example/greeter",
            "b ob/x", "hello"}, out, err));
        Record second = IngressRecords.readAll(ingress).get(1);
        assertEquals(new Address(GREETER, "b ob/x"), second.target());
        assertEquals("hello", Types.stringType().deserialize(second.value()));
    }

    @Test
    void sendReportsRefusalsAndUsageErrors() {
        assertEquals(1, SendCommand.run(new String[] {"example/nobody", "a", "x", "--url", server.baseUrl()}, out, err));
        assertTrue(err().contains("HTTP 404") && err().contains("example/nobody"), err());
        assertEquals(1, SendCommand.run(new String[] {"example/greeter", "a", "abc", "--type", "io.statefun.types/int",
            "--url", server.baseUrl()}, out, err));
        assertTrue(err().contains("HTTP 400"), err());
        assertEquals(0, IngressRecords.readAll(ingress).size());
        errBytes.reset();

        assertUsageError(SendCommand.run(new String[] {"example/greeter", "a"}, out, err), "expected 3 arguments");
        assertUsageError(SendCommand.run(new String[] {"greeter", "a", "x"}, out, err), "bad function type");
        assertUsageError(SendCommand.run(new String[] {"example/greeter", "a", "x", "--nope"}, out, err),
                "unknown option '--nope'");
        assertUsageError(SendCommand.run(new String[] {"example/greeter", "a", "x", "--url", "ftp://x"}, out, err),
                "--url");
        assertUsageError(SendCommand.run(new String[] {"example/greeter", "a", "x", "--type"}, out, err),
                "--type needs a value");
    }

    @Test
    void sendBatchPostsAFileOfRecordsInBatchesAndARetryAppendsNothing() throws Exception {
        Path file = dir.resolve("records.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < IngressBatch.MAX_RECORDS + 6; i++) {
            lines.append("{\"function\":\"example/greeter\",\"id\":\"k").append(i % 7)
                    .append("\",\"value\":\"m").append(i).append("\"}\n\n");
        }
        java.nio.file.Files.writeString(file, lines);
        String[] args = {"--batch", file.toString(), "--url", server.baseUrl(), "--idempotency-key", "load-1"};
        assertEquals(0, SendCommand.run(args, out, err), err());
        List<Record> records = IngressRecords.readAll(ingress);
        assertEquals(IngressBatch.MAX_RECORDS + 6, records.size());
        assertEquals("m1029", Types.stringType().deserialize(records.get(1029).value()), "in the file's order");
        assertEquals(List.of("{\"offset\":" + records.get(0).position() + ",\"records\":1024}",
                "{\"offset\":" + records.get(1029).position() + ",\"records\":6}"), lines());

        assertEquals(0, SendCommand.run(args, out, err), err());
        assertEquals(IngressBatch.MAX_RECORDS + 6, IngressRecords.readAll(ingress).size(), "the retry appended nothing");

        java.io.ByteArrayInputStream stdin = new java.io.ByteArrayInputStream(
                "{\"function\":\"example/greeter\",\"id\":\"a\",\"value\":\"x\"}\nnot json\n".getBytes());
        assertEquals(1, SendCommand.run(new String[] {"--batch", "-", "--url", server.baseUrl()}, stdin, out, err));
        assertTrue(err().contains("records 1-2") && err().contains("HTTP 400") && err().contains("line 2"), err());
        assertEquals(IngressBatch.MAX_RECORDS + 6, IngressRecords.readAll(ingress).size());

        errBytes.reset();
        assertUsageError(SendCommand.run(new String[] {"--batch", file.toString(), "example/greeter"}, out, err),
                "no address");
        assertUsageError(SendCommand.run(new String[] {"--batch", dir.resolve("none").toString()}, out, err),
                "cannot read --batch");
    }

    /** A producer's pipe: what it has written goes out while it is still writing, not at its end. */
    @Test
    void sendBatchFromAPipeSendsAsTheRecordsCome() throws Exception {
        java.io.PipedOutputStream producer = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(producer, 1 << 16);
        CompletableFuture<Integer> send = CompletableFuture.supplyAsync(() -> SendCommand.run(
                new String[] {"--batch", "-", "--url", server.baseUrl()}, stdin, out, err));
        for (int i = 0; i < 3; i++) {
            producer.write(("{\"function\":\"example/greeter\",\"id\":\"k\",\"value\":\"early " + i + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (IngressRecords.readAll(ingress).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(3, IngressRecords.readAll(ingress).size(), "appended while the producer still writes");
        producer.write("\n{\"function\":\"example/greeter\",\"id\":\"k\",\"value\":\"late\"}\n"
                .getBytes(StandardCharsets.UTF_8));
        producer.close();
        assertEquals(0, send.get(20, TimeUnit.SECONDS), err());
        List<Record> records = IngressRecords.readAll(ingress);
        assertEquals(4, records.size());
        assertEquals("late", Types.stringType().deserialize(records.get(3).value()));
    }

    /** With an idempotency key a send goes on through a restart of the runtime, and appends each batch once. */
    @Test
    void aKeyedSendGoesOnThroughARestart() throws Exception {
        int port = java.net.URI.create(server.baseUrl()).getPort();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3 * IngressBatch.MAX_RECORDS; i++) {
            lines.append("{\"function\":\"example/greeter\",\"id\":\"k\",\"value\":\"m").append(i).append("\"}\n");
        }
        egressHandler.close(); // the runtime is down when the send starts
        server.close();
        CompletableFuture<Integer> send = CompletableFuture.supplyAsync(() -> SendCommand.run(
                new String[] {"--batch", "-", "--url", "http://127.0.0.1:" + port, "--idempotency-key", "load-2"},
                new java.io.ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)), out, err));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!err().contains("cannot reach the runtime") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(err().contains("retrying every second"), err());
        egressHandler = new EgressHttpHandler(egressLogs, Duration.ofMillis(5));
        server = TestServer.startOn(port, IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(ingress, gate),
                EgressHttpHandler.PATH_PREFIX, egressHandler);
        assertEquals(0, send.get(30, TimeUnit.SECONDS), err());
        assertEquals(3 * IngressBatch.MAX_RECORDS, IngressRecords.readAll(ingress).size(), "every record once");

        egressHandler.close(); // without a key, no retry: it cannot know what the runtime appended
        server.close();
        errBytes.reset();
        assertEquals(1, SendCommand.run(new String[] {"example/greeter", "a", "x", "--url", "http://127.0.0.1:" + port},
                out, err));
        assertTrue(err().contains("cannot reach") && !err().contains("retrying"), err());
        egressHandler = new EgressHttpHandler(egressLogs, Duration.ofMillis(5));
        server = TestServer.startOn(port, IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(ingress, gate),
                EgressHttpHandler.PATH_PREFIX, egressHandler);
    }

    /**
     * The answer to a keyed request is lost after the runtime appended it (the connection drops before the 202, as
     * when the runtime is killed at that moment): the send retries with the same key, and the record is appended
     * once.
     */
    @Test
    void aKeyedSendWhoseAnswerIsLostAfterTheAppendRetriesAndAppendsOnce() throws Exception {
        int port = java.net.URI.create(server.baseUrl()).getPort();
        egressHandler.close();
        server.close();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        IngressHttpHandler ingressHandler = new IngressHttpHandler(ingress, gate);
        io.undertow.server.HttpHandler losingFirstAnswer = exchange -> {
            if (requests.incrementAndGet() == 1) { // the record is appended; the connection closes before the answer
                exchange.addResponseCommitListener(committing ->
                        org.xnio.IoUtils.safeClose(committing.getConnection()));
            }
            ingressHandler.handleRequest(exchange);
        };
        egressHandler = new EgressHttpHandler(egressLogs, Duration.ofMillis(5));
        server = TestServer.startOn(port, IngressHttpHandler.PATH_PREFIX, losingFirstAnswer,
                EgressHttpHandler.PATH_PREFIX, egressHandler);
        assertEquals(0, SendCommand.run(new String[] {"example/greeter", "k", "once", "--url",
                "http://127.0.0.1:" + port, "--idempotency-key", "lost-1"}, out, err), err());
        assertTrue(err().contains("retrying every second"), err());
        assertEquals(2, requests.get(), "sent again after the lost answer");
        assertEquals(1, IngressRecords.readAll(ingress).size(), "appended once");
    }

    @Test
    void sendWaitsOutBackpressureAndAppendsEachBatchOnce() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < IngressBatch.MAX_RECORDS + 1; i++) {
            lines.append("{\"function\":\"example/greeter\",\"id\":\"k\",\"value\":\"m").append(i).append("\"}\n");
        }
        gate.backpressure(true);
        CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(() -> SendCommand.run(
                new String[] {"--batch", "-", "--url", server.baseUrl()},
                new java.io.ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)), out, err));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!err().contains("backpressured") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(err().contains("backpressured (HTTP 503); retrying"), err());
        assertEquals(0, IngressRecords.readAll(ingress).size(), "a refused batch appends nothing");
        gate.backpressure(false);
        assertEquals(0, batch.get(20, TimeUnit.SECONDS), err());
        List<Record> records = IngressRecords.readAll(ingress);
        assertEquals(IngressBatch.MAX_RECORDS + 1, records.size(), "every record once");
        assertEquals("m1024", Types.stringType().deserialize(records.get(1024).value()));

        gate.backpressure(true);
        errBytes.reset();
        long start = System.nanoTime();
        assertEquals(1, SendCommand.run(new String[] {"example/greeter", "a", "x", "--url", server.baseUrl()},
                System.in, out, err, Duration.ZERO));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no patience: no wait");
        assertTrue(err().contains("HTTP 503") && err().contains("backpressured"), err());
        assertEquals(IngressBatch.MAX_RECORDS + 1, IngressRecords.readAll(ingress).size());
    }

    @Test
    void tailPrintsCommittedRecordsAndResumesFromAnOffset() {
        long first = greets.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("hello\tworld"));
        long second = greets.append(1, Types.INT_TYPENAME, Types.intType().serialize(7));
        greets.commit(1);
        long third = greets.append(2, TypeName.parse("com.acme/Blob"), new byte[] {1, 2, 3});

        assertEquals(0, TailCommand.run(new String[] {"example/greets", "--url", server.baseUrl()}, out, err), err());
        assertEquals(List.of(
                first + "\t1\tio.statefun.types/string\thello\\tworld",
                second + "\t1\tio.statefun.types/int\t7"), lines());

        outBytes.reset();
        assertEquals(0, TailCommand.run(new String[] {"example/greets", "--from", String.valueOf(second),
            "--uncommitted", "--url", server.baseUrl()}, out, err), err());
        assertEquals(List.of(
                second + "\t1\tio.statefun.types/int\t7",
                third + "\t2\tcom.acme/Blob\tbase64:AQID"), lines());
    }

    @Test
    void tailFollowPrintsRecordsAsTheyCommit() throws Exception {
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> TailCommand.run(
                new String[] {"example/greets", "--follow", "--limit", "2", "--url", server.baseUrl()}, out, err));
        long a = greets.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("one"));
        long b = greets.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("two"));
        greets.commit(1);
        assertEquals(0, tail.get(30, TimeUnit.SECONDS), err());
        assertEquals(List.of(a + "\t1\tio.statefun.types/string\tone", b + "\t1\tio.statefun.types/string\ttwo"),
                lines());
    }

    /** Started before the first output, as right after a runtime's start: it says so and waits. */
    /** A runtime that restarts: {@code --follow} connects again and goes on after the last record it printed. */
    @Test
    void tailFollowGoesOnThroughARestartOfTheRuntime() throws Exception {
        int port = java.net.URI.create(server.baseUrl()).getPort();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> TailCommand.run(
                new String[] {"example/greets", "--follow", "--limit", "3", "--url", server.baseUrl()}, out, err));
        long a = greets.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("before"));
        greets.commit(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        egressHandler.close(); // the runtime stops: its streams end, then its server
        server.close();
        long b = greets.append(2, Types.STRING_TYPENAME, Types.stringType().serialize("while away"));
        greets.commit(2);
        Thread.sleep(1_500); // tail tries at least once while nothing listens
        egressHandler = new EgressHttpHandler(egressLogs, Duration.ofMillis(5));
        server = TestServer.startOn(port, IngressHttpHandler.PATH_PREFIX, new IngressHttpHandler(ingress, gate),
                EgressHttpHandler.PATH_PREFIX, egressHandler);
        long c = greets.append(3, Types.STRING_TYPENAME, Types.stringType().serialize("after"));
        greets.commit(3);
        assertEquals(0, tail.get(30, TimeUnit.SECONDS), err());
        assertEquals(List.of(a + "\t1\tio.statefun.types/string\tbefore",
                b + "\t2\tio.statefun.types/string\twhile away", c + "\t3\tio.statefun.types/string\tafter"),
                lines(), "each record once, in order");
        assertTrue(err().contains("connecting again every second, from offset " + (a + 1))
                && err().contains("connected again"), err());
    }

    @Test
    void tailFollowOfAnEgressWithNoRecordsYetSaysSoAndWaitsForTheFirst() throws Exception {
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> TailCommand.run(
                new String[] {"example/later", "--follow", "--limit", "1", "--url", server.baseUrl()}, out, err));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!err().contains("example/later has no records yet (is the name right?); waiting for the first")) {
            assertTrue(System.nanoTime() < deadline, "the waiting line, got: " + err());
            Thread.sleep(10);
        }
        EgressLog later = egressLogs.get(TypeName.typeNameOf("example", "later"));
        long offset = later.append(1, Types.STRING_TYPENAME, Types.stringType().serialize("at last"));
        later.commit(1);
        assertEquals(0, tail.get(30, TimeUnit.SECONDS), err());
        assertEquals(List.of(offset + "\t1\tio.statefun.types/string\tat last"), lines());
    }

    @Test
    void tailReportsRefusalsAndUsageErrors() {
        assertEquals(1, TailCommand.run(new String[] {"example/nothing", "--url", server.baseUrl()}, out, err));
        assertTrue(err().contains("HTTP 404"), err());
        errBytes.reset();
        assertUsageError(TailCommand.run(new String[] {}, out, err), "expected 1 argument");
        assertUsageError(TailCommand.run(new String[] {"example/greets", "--from", "-1"}, out, err), "--from");
        assertUsageError(TailCommand.run(new String[] {"example/greets", "--limit", "x"}, out, err), "--limit");
        assertUsageError(TailCommand.run(new String[] {"nonamespace"}, out, err), "bad egress");
    }

    @Test
    void sendAndTailToAPortWhereNothingListensSaySo() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed;
        assertEquals(1, SendCommand.run(new String[] {"example/greeter", "a", "x", "--url", url}, out, err));
        assertTrue(err().contains("connection refused (is a Stator runtime running there?)"), err());
        errBytes.reset();
        assertEquals(1, TailCommand.run(new String[] {"example/greets", "--url", url}, out, err));
        assertTrue(err().contains("connection refused (is a Stator runtime running there?)"), err());
    }

    private void assertUsageError(int code, String messagePart) {
        assertEquals(2, code);
        String message = err();
        assertTrue(message.contains(messagePart) && message.contains("usage:"), message);
        assertEquals(1, message.strip().split("\n").length, "one line: " + message);
        errBytes.reset();
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return out().lines().toList();
    }
}
