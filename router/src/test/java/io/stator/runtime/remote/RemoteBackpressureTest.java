package io.stator.runtime.remote;

import static io.stator.runtime.remote.RemoteTestSupport.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.StatorConfig;
import io.stator.runtime.internal.DeadLetters;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A slow remote function backpressures the runtime's ingress instead of letting its backlog grow: a producer
 * pushing as fast as it can is turned away ({@code trySend} false) while a backlog is full, the messages held
 * inside the runtime stay within a fixed bound far below the number sent, and in the end every message is
 * processed exactly once, in order. The bound is per address ({@code maxNumBatchRequests}) when one address takes
 * everything, and for the whole runtime ({@code maxQueuedRemoteInvocations}) when the messages spread over many.
 */
class RemoteBackpressureTest {
    private static final TypeName SLOW = TypeName.typeNameOf("slow", "counter");
    private static final int MAX_BATCH = 10;
    private static final int INGRESS_QUEUE = 16;
    private static final int MESSAGES = 600;
    /**
     * How many ingress messages a partition hands on in one duty cycle before it looks at backpressure again
     * ({@code Partition.BATCH}): by that much an address's backlog may overshoot {@code maxNumBatchRequests}.
     */
    private static final int PARTITION_INGRESS_BATCH = 256;

    /** What one flood into {@code slow/counter} addresses showed. */
    private record Observed(boolean sawBackpressure, int rejected, int maxHeldByRuntime, long maxHeldByDispatcher,
                            int largestBatch, List<String> outputs, List<String> deadLetters) {
    }

    @Test
    void aSlowFunctionStopsIngressInsteadOfGrowingItsBacklog() throws Exception {
        Observed flood = floodOneAddressOfASlowFunction();

        assertTrue(flood.sawBackpressure(), "the runtime reported backpressure");
        assertTrue(flood.rejected() > 0, "trySend turned the producer away while the runtime was full");
        // Held by the dispatcher: one batch in flight, plus a backlog that reaches the limit and may overshoot it
        // by one ingress batch before the partition stops reading.
        long dispatcherBound = MAX_BATCH + (MAX_BATCH - 1) + PARTITION_INGRESS_BATCH;
        assertTrue(flood.maxHeldByDispatcher() <= dispatcherBound,
                "the dispatcher held " + flood.maxHeldByDispatcher() + " messages, more than " + dispatcherBound);
        assertTrue(flood.maxHeldByRuntime() <= INGRESS_QUEUE + dispatcherBound,
                "the runtime held " + flood.maxHeldByRuntime() + " messages, more than " + (INGRESS_QUEUE + dispatcherBound));
        assertTrue(flood.largestBatch() <= MAX_BATCH, "a batch exceeded maxNumBatchRequests: " + flood.largestBatch());
        assertEquals(IntStream.rangeClosed(1, MESSAGES).mapToObj(n -> "hot " + n).toList(), flood.outputs(),
                "every message counted once, in order");
        assertEquals(List.of(), flood.deadLetters());
    }

    /** StateFun's contract, and the one RemoteDispatcher's javadoc states: a backlog stays within the limit. */
    @Test
    void theBacklogOfOneAddressStaysWithinMaxNumBatchRequests() throws Exception {
        Observed flood = floodOneAddressOfASlowFunction();

        assertTrue(flood.maxHeldByDispatcher() <= 2L * MAX_BATCH, "the dispatcher held "
                + flood.maxHeldByDispatcher() + " messages for one address: one batch of " + MAX_BATCH
                + " in flight plus a backlog of at most " + MAX_BATCH + " expected");
    }

    /**
     * Two messages each for 40 addresses, so that no address's backlog ever nears {@code maxNumBatchRequests}:
     * only the runtime's bound on queued invocations can stop ingress.
     */
    @Test
    void aBacklogSpreadOverManyAddressesStopsIngressAtTheRuntimesBound() throws Exception {
        int addresses = 40;
        int maxQueued = 10; // 5 per partition
        Observed flood = flood(2 * addresses, i -> "a" + (i % addresses), 1000,
                config -> config.maxQueuedRemoteInvocations(maxQueued).maxConcurrentRemoteCalls(2));

        assertTrue(flood.sawBackpressure(), "the runtime reported backpressure");
        assertTrue(flood.rejected() > 0, "trySend turned the producer away while the runtime was full");
        // Queued: at most the bound (ingress is read one message at a time and checked before each). In flight: one
        // call slot per partition, carrying one address's backlog, of at most its two messages.
        long dispatcherBound = maxQueued + 2L * 2;
        assertTrue(flood.maxHeldByDispatcher() <= dispatcherBound,
                "the dispatchers held " + flood.maxHeldByDispatcher() + " messages, more than " + dispatcherBound);
        List<String> expected = new ArrayList<>();
        for (int a = 0; a < addresses; a++) {
            expected.add("a" + a + " 1");
            expected.add("a" + a + " 2");
        }
        assertEquals(expected.stream().sorted().toList(), flood.outputs().stream().sorted().toList(),
                "every message counted once");
        assertEquals(List.of(), flood.deadLetters());
    }

    private Observed floodOneAddressOfASlowFunction() throws Exception {
        return flood(MESSAGES, i -> "hot", MAX_BATCH, config -> config);
    }

    /**
     * Floods {@code slow/counter/<id(i)>} with {@code messages} messages (a function that takes 20 ms per request)
     * from a producer thread while this thread watches what the runtime holds, until every message has been
     * processed.
     */
    private Observed flood(int messages, IntFunction<String> id, int maxBatch, UnaryOperator<StatorConfig> tuning) throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        boolean sawBackpressure = false;
        int maxHeldByRuntime = 0;
        long maxHeldByDispatcher = 0;
        Producer producer;
        int largestBatch;
        try (FaultyFunctionHost host = FaultyFunctionHost.start(CountingFunction.spec(SLOW), 0, Duration.ofMillis(20));
             Stator stator = tuning.apply(Stator.builder().partitions(2).ingressQueueCapacity(INGRESS_QUEUE)
                     .egress(egress).withRemoteEndpoint(RemoteEndpointSpec.builder("slow/*", host.urlTemplate())
                             .withMaxNumBatchRequests(maxBatch).withCallTimeout(Duration.ofSeconds(30)).build()))
                     .start()) {
            producer = new Producer(stator, messages, id);
            Thread thread = new Thread(producer, "test-producer");
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (egress.count(CountingFunction.OUT) < messages && System.nanoTime() < deadline) {
                sawBackpressure |= stator.isBackpressured();
                // Read what went in before what came out, so a racy read can only understate what is held.
                int accepted = producer.accepted.get();
                long handedToRemote = stator.counters().stream().mapToLong(PartitionCounters::remoteCalls).sum();
                int done = egress.count(CountingFunction.OUT);
                maxHeldByRuntime = Math.max(maxHeldByRuntime, accepted - done);
                maxHeldByDispatcher = Math.max(maxHeldByDispatcher, handedToRemote - done);
                LockSupport.parkNanos(100_000);
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
            largestBatch = host.largestBatch();
        }
        assertNull(producer.failure.get(), "the producer ran into an error");
        assertEquals(messages, producer.accepted.get(), "the producer got every message in, eventually");
        return new Observed(sawBackpressure, producer.rejected.get(), maxHeldByRuntime, maxHeldByDispatcher,
                largestBatch, strings(egress.records(CountingFunction.OUT)), strings(egress.records(DeadLetters.EGRESS)));
    }

    /** Pushes message i to {@code slow/counter/<id(i)>} with {@code trySend}, as fast as it may. */
    private static final class Producer implements Runnable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Stator stator;
        private final int messages;
        private final IntFunction<String> id;

        Producer(Stator stator, int messages, IntFunction<String> id) {
            this.stator = stator;
            this.messages = messages;
            this.id = id;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                for (int i = 0; i < messages && System.nanoTime() < deadline; i++) {
                    Message message = MessageBuilder.forAddress(SLOW, id.apply(i)).withValue(i).build();
                    boolean sent = stator.trySend(message);
                    while (!sent && System.nanoTime() < deadline) {
                        rejected.incrementAndGet();
                        LockSupport.parkNanos(50_000);
                        sent = stator.trySend(message);
                    }
                    if (sent) {
                        accepted.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }
}
