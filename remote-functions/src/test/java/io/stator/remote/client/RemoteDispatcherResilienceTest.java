package io.stator.remote.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.stator.remote.server.FunctionRequestHandler;
import io.stator.remote.server.RemoteFunctionServer;
import io.stator.remote.testkit.DispatcherDriver;
import io.stator.remote.testkit.RecordingEffects;
import io.stator.sdk.Address;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.StatefulFunction;
import io.stator.sdk.StatefulFunctionSpec;
import io.stator.sdk.TypeName;
import io.stator.sdk.Types;
import io.stator.sdk.ValueSpec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, timeouts, failure isolation, batching and backpressure against real HTTP servers on 127.0.0.1. */
class RemoteDispatcherResilienceTest {
    private static final TypeName COUNTER = TypeName.typeNameOf("example", "counter");
    private static final TypeName HANG = TypeName.typeNameOf("example", "hang");
    private static final TypeName GATED = TypeName.typeNameOf("example", "gated");
    private static final ValueSpec<Integer> SEEN = ValueSpec.named("seen").withIntType();

    /** Counts in state and forwards each argument to example/sink/&lt;argument&gt;: effects must appear once each. */
    private static final StatefulFunctionSpec COUNTING = StatefulFunctionSpec.builder(COUNTER).withValueSpec(SEEN)
            .withSupplier(() -> (context, message) -> {
                context.storage().set(SEEN, context.storage().get(SEEN).orElse(0) + 1);
                context.send(MessageBuilder.forAddress(TypeName.typeNameOf("example", "sink"), message.asUtf8String())
                        .withValue(message.asUtf8String()).build());
                return null;
            }).build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private static List<String> sentTexts(RecordingEffects effects) {
        return effects.sent.stream().map(s -> s.message().asUtf8String()).toList();
    }

    @Test
    void functionAnswering500ThreeTimesThenSucceedingHasItsEffectsAppliedOnce() throws Exception {
        FunctionRequestHandler handler = new FunctionRequestHandler(List.of(COUNTING));
        AtomicInteger requests = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flaky.setExecutor(executor);
        flaky.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (requests.incrementAndGet() <= 3) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] reply = handler.handle(body).join();
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, reply.length == 0 ? -1 : reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        });
        flaky.start();
        resources.add(() -> {
            flaky.stop(0);
            executor.shutdownNow();
        });
        DispatcherDriver driver = open(new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*",
                "http://127.0.0.1:" + flaky.getAddress().getPort() + "/{function.name}").build())));
        Address target = new Address(COUNTER, "a");

        driver.dispatcher.invoke(1, target, null, Types.STRING_TYPENAME, Types.stringType().serialize("x"));
        driver.drainUntilIdle(20);

        assertEquals(List.of("x"), sentTexts(driver.effects));
        assertArrayEquals(Types.intType().serialize(1), driver.state.value(target, "seen"));
        assertTrue(driver.effects.deadLetters.isEmpty());
        assertEquals(3, driver.dispatcher.count(RemoteCounter.RETRIES));
        assertEquals(5, requests.get(), "three failures, the state round trip, and the real call");
        assertEquals(1, driver.dispatcher.count(RemoteCounter.REPLIES_APPLIED));
        RemoteTypeCounters perType = driver.dispatcher.typeCounters().iterator().next();
        assertEquals(COUNTER, perType.type(), "counted per function type too");
        assertEquals(3, perType.count(RemoteCounter.RETRIES));
        assertEquals(1, perType.count(RemoteCounter.REPLIES_APPLIED));
        assertEquals(1, perType.count(RemoteCounter.STATE_ROUND_TRIPS));
        assertEquals(0, perType.inFlight());
        assertEquals(0, perType.queued());
        assertTrue(perType.replyNanosSum() > 0, "the reply's latency is recorded");
        assertEquals(List.of(perType.replyNanosSum()), driver.effects.replyLatencies,
                "and reported once, for the runtime's latency histogram");
    }

    @Test
    void aFunctionThatNeverAnswersIsDeadLetteredWhileOtherAddressesFlow() {
        RemoteFunctionServer server = open(RemoteFunctionServer.builder()
                .withFunction(COUNTING)
                .withFunction(StatefulFunctionSpec.builder(HANG).withSupplier(() -> (c, m) -> new CompletableFuture<>()).build())
                .bind("127.0.0.1", 0).start());
        String url = server.baseUrl() + "{function.name}";
        DispatcherDriver driver = open(new DispatcherDriver(List.of(
                RemoteEndpointSpec.builder("example/*", url).build(),
                RemoteEndpointSpec.builder("example/hang", url).withCallTimeout(Duration.ofMillis(300)).build())));
        Address stuck = new Address(HANG, "h");

        driver.dispatcher.invoke(1, stuck, null, Types.STRING_TYPENAME, Types.stringType().serialize("h1"));
        driver.dispatcher.invoke(1, stuck, null, Types.STRING_TYPENAME, Types.stringType().serialize("h2"));
        for (int i = 0; i < 20; i++) {
            driver.dispatcher.invoke(2, new Address(COUNTER, "c" + (i % 4)), null, Types.STRING_TYPENAME,
                    Types.stringType().serialize("m" + i));
        }
        driver.drainUntil(() -> driver.effects.sent.size() == 20, 20, "all counter messages to be answered");
        driver.drainUntilIdle(20);

        assertEquals(2, driver.effects.deadLetters.size(), "h1 alone, then h2 as the next batch");
        RecordingEffects.DeadLetter first = driver.effects.deadLetters.get(0);
        assertEquals(stuck, first.target());
        assertEquals(List.of("h1"), first.messages().stream().map(m -> m.asUtf8String()).toList());
        assertTrue(first.error().contains("timeout") && first.error().contains("hang"), first.error());
        assertEquals("h2", driver.effects.deadLetters.get(1).messages().get(0).asUtf8String());
        assertEquals(2, driver.dispatcher.count(RemoteCounter.DEAD_LETTERED));
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(Types.intType().serialize(5), driver.state.value(new Address(COUNTER, "c" + c), "seen"));
        }
    }

    @Test
    void messagesArrivingWhileInFlightGoOutAsOneBatchInArrivalOrder() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        RemoteFunctionServer server = open(RemoteFunctionServer.builder()
                .withFunction(gatedForwarder(gate))
                .bind("127.0.0.1", 0).start());
        DispatcherDriver driver = open(new DispatcherDriver(List.of(
                RemoteEndpointSpec.builder("example/*", server.baseUrl() + "{function.name}").build())));
        Address target = new Address(GATED, "g");

        for (int i = 0; i < 5; i++) {
            driver.dispatcher.invoke(3, target, i % 2 == 0 ? null : Address.of("example", "caller", "k" + i),
                    Types.STRING_TYPENAME, Types.stringType().serialize("m" + i));
        }
        assertEquals(1, driver.dispatcher.inFlightBatches());
        assertEquals(4, driver.dispatcher.queuedInvocations());
        gate.complete(null);
        driver.drainUntilIdle(20);

        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), sentTexts(driver.effects));
        assertEquals(2, driver.dispatcher.count(RemoteCounter.BATCHES_SENT), "a batch of 1, then one batch of 4");
        assertEquals(5, driver.dispatcher.count(RemoteCounter.INVOCATIONS_SENT));
    }

    @Test
    void backlogAtMaxNumBatchRequestsBackpressuresUntilItDrains() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        RemoteFunctionServer server = open(RemoteFunctionServer.builder()
                .withFunction(gatedForwarder(gate))
                .bind("127.0.0.1", 0).start());
        DispatcherDriver driver = open(new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*",
                server.baseUrl() + "{function.name}").withMaxNumBatchRequests(3).build())));
        Address target = new Address(GATED, "g");

        driver.dispatcher.invoke(0, target, null, Types.STRING_TYPENAME, Types.stringType().serialize("m0"));
        for (int i = 1; i <= 3; i++) {
            assertFalse(driver.dispatcher.isBackpressured());
            driver.dispatcher.invoke(0, target, null, Types.STRING_TYPENAME, Types.stringType().serialize("m" + i));
        }
        assertTrue(driver.dispatcher.isBackpressured(), "three queued behind the batch in flight");
        assertEquals(1, driver.dispatcher.count(RemoteCounter.BACKPRESSURE_EVENTS));

        gate.complete(null);
        driver.drainUntil(() -> !driver.dispatcher.isBackpressured(), 20, "the backlog to be sent");
        driver.drainUntilIdle(20);
        assertFalse(driver.dispatcher.isBackpressured());
        assertEquals(List.of("m0", "m1", "m2", "m3"), sentTexts(driver.effects));
    }

    @Test
    void queuedInvocationsOfManyAddressesBackpressureAtMaxQueuedInvocations() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        RemoteFunctionServer server = open(RemoteFunctionServer.builder()
                .withFunction(gatedForwarder(gate))
                .bind("127.0.0.1", 0).start());
        DispatcherDriver driver = open(new DispatcherDriver(
                List.of(RemoteEndpointSpec.builder("example/*", server.baseUrl() + "{function.name}").build()),
                RemoteDispatcherConfig.defaults().maxConcurrentCalls(1).maxQueuedInvocations(3)));

        // m0 takes the only call slot and parks on the gate; each later message goes to an address of its own,
        // which waits for the slot: no address comes near maxNumBatchRequests (1000).
        for (int i = 0; i <= 3; i++) {
            assertFalse(driver.dispatcher.isBackpressured(), "before m" + i);
            driver.dispatcher.invoke(1, new Address(GATED, "g" + i), null, Types.STRING_TYPENAME,
                    Types.stringType().serialize("m" + i));
        }
        assertEquals(3, driver.dispatcher.queuedInvocations());
        assertTrue(driver.dispatcher.isBackpressured(), "three queued over three addresses reach the bound");
        assertEquals(1, driver.dispatcher.count(RemoteCounter.BACKPRESSURE_EVENTS));
        RemoteTypeCounters gated = driver.dispatcher.typeCounters().stream().filter(c -> c.type().equals(GATED))
                .findFirst().orElseThrow();
        assertEquals(1, gated.count(RemoteCounter.BACKPRESSURE_EVENTS), "the type that reached the bound is named");

        gate.complete(null);
        driver.drainUntil(() -> !driver.dispatcher.isBackpressured(), 20, "the queued invocations to be sent");
        driver.drainUntilIdle(20);
        assertFalse(driver.dispatcher.isBackpressured());
        assertEquals(List.of("m0", "m1", "m2", "m3"), sentTexts(driver.effects));
    }

    @Test
    void aNonPositiveMaxQueuedInvocationsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteDispatcherConfig.defaults().maxQueuedInvocations(0).conclude());
        assertTrue(e.getMessage().contains("maxQueuedInvocations must be positive, was 0"), e.getMessage());
    }

    @Test
    void aProducerThatRespectsBackpressureNeverQueuesMoreThanTheLimit() {
        RemoteFunctionServer server = open(RemoteFunctionServer.builder().withFunction(COUNTING).bind("127.0.0.1", 0).start());
        int limit = 4;
        DispatcherDriver driver = open(new DispatcherDriver(List.of(RemoteEndpointSpec.builder("example/*",
                server.baseUrl() + "{function.name}").withMaxNumBatchRequests(limit).build())));
        Address target = new Address(COUNTER, "hot");
        List<String> expected = new ArrayList<>();
        int maxQueued = 0;

        for (int i = 0; i < 200; i++) {
            if (driver.dispatcher.isBackpressured()) {
                driver.drainUntil(() -> !driver.dispatcher.isBackpressured(), 20, "backpressure to lift");
            }
            driver.dispatcher.invoke(5, target, null, Types.STRING_TYPENAME, Types.stringType().serialize("m" + i));
            expected.add("m" + i);
            maxQueued = Math.max(maxQueued, driver.dispatcher.queuedInvocations());
            driver.dispatcher.drainCompletions();
        }
        driver.drainUntilIdle(20);

        assertTrue(maxQueued <= limit, "queued at most " + limit + " but saw " + maxQueued);
        assertEquals(expected, sentTexts(driver.effects), "every message once, in order");
        assertArrayEquals(Types.intType().serialize(200), driver.state.value(target, "seen"));
    }

    /** The first message parks on {@code gate}; every message is forwarded to example/sink. */
    private static StatefulFunctionSpec gatedForwarder(CompletableFuture<Void> gate) {
        return StatefulFunctionSpec.builder(GATED).withSupplier(() -> (context, message) -> {
            String text = message.asUtf8String();
            context.send(MessageBuilder.forAddress(TypeName.typeNameOf("example", "sink"), text).withValue(text).build());
            return text.equals("m0") ? gate : StatefulFunction.DONE;
        }).build();
    }

}
