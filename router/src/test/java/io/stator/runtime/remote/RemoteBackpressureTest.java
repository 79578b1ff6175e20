package io.stator.runtime.remote;

import static io.stator.runtime.remote.RemoteTestSupport.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stator.remote.client.RemoteEndpointSpec;
import io.stator.runtime.InMemoryEgress;
import io.stator.runtime.Stator;
import io.stator.runtime.internal.DeadLetters;
import io.stator.runtime.internal.PartitionCounters;
import io.stator.sdk.Message;
import io.stator.sdk.MessageBuilder;
import io.stator.sdk.TypeName;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A slow remote function backpressures the runtime's ingress instead of letting its backlog grow: a producer
 * pushing as fast as it can into ONE address is turned away ({@code trySend} false) while the address's backlog
 * is full, the messages held inside the runtime stay within a fixed bound far below the number sent, and in the
 * end every message is processed exactly once, in order.
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

    /** What one flood of {@link #MESSAGES} into {@code slow/counter/hot} showed. */
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
     * Floods {@code slow/counter/hot} (a function that takes 20 ms per request) from a producer thread while this
     * thread watches what the runtime holds, until every message has been processed.
     */
    private Observed floodOneAddressOfASlowFunction() throws Exception {
        InMemoryEgress egress = new InMemoryEgress();
        boolean sawBackpressure = false;
        int maxHeldByRuntime = 0;
        long maxHeldByDispatcher = 0;
        Producer producer;
        int largestBatch;
        try (FaultyFunctionHost host = FaultyFunctionHost.start(CountingFunction.spec(SLOW), 0, Duration.ofMillis(20));
             Stator stator = Stator.builder().partitions(2).ingressQueueCapacity(INGRESS_QUEUE).egress(egress)
                     .withRemoteEndpoint(RemoteEndpointSpec.builder("slow/*", host.urlTemplate())
                             .withMaxNumBatchRequests(MAX_BATCH).withCallTimeout(Duration.ofSeconds(30)).build())
                     .start()) {
            producer = new Producer(stator);
            Thread thread = new Thread(producer, "test-producer");
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (egress.count(CountingFunction.OUT) < MESSAGES && System.nanoTime() < deadline) {
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
        assertEquals(MESSAGES, producer.accepted.get(), "the producer got every message in, eventually");
        return new Observed(sawBackpressure, producer.rejected.get(), maxHeldByRuntime, maxHeldByDispatcher,
                largestBatch, strings(egress.records(CountingFunction.OUT)), strings(egress.records(DeadLetters.EGRESS)));
    }

    /** Pushes {@link #MESSAGES} messages to {@code slow/counter/hot} with {@code trySend}, as fast as it may. */
    private static final class Producer implements Runnable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Stator stator;

        Producer(Stator stator) {
            this.stator = stator;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                for (int i = 0; i < MESSAGES && System.nanoTime() < deadline; i++) {
                    Message message = MessageBuilder.forAddress(SLOW, "hot").withValue(i).build();
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
